export declare const README_MARKER: string;
export declare function readmeExample(readme: string): string;
