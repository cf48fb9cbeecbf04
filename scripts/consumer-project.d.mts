export declare function tarballsIn(dir: string): Record<string, string>;
export declare function consumerManifest(
  dir: string,
  devDependencies?: Record<string, string>,
): {
  name: string;
  private: true;
  type: "module";
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides: Record<string, string>;
};
