// The engine's local images: names (with tags) mapped to program factories. There is no
// registry to pull from; an image is either registered (as if pulled or built) or missing.
// Other packages register their applications here (dockercoins-sim registers
// `dockercoins/rng` and the others); the engine itself knows none.
import type { ImageSpec } from "./program";

/** "redis" -> "redis:latest"; "dockercoins/rng:v0.1" stays. A digest is kept as is. */
export function normalizeImageName(name: string): string {
  if (name.includes("@")) return name;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name : `${name}:latest`;
}

/** The name as `docker ps` shows it: without ":latest". */
export function displayImageName(name: string): string {
  return name.endsWith(":latest") ? name.slice(0, -":latest".length) : name;
}

export class ImageRegistry {
  private readonly images = new Map<string, ImageSpec>();

  register(spec: ImageSpec): void {
    this.images.set(normalizeImageName(spec.name), spec);
  }

  /** Tags an existing image with another name (`docker tag`, or a compose build result). */
  tag(existing: string, alias: string): void {
    const spec = this.get(existing);
    if (!spec) throw new Error(`No such image: ${existing}`);
    this.images.set(normalizeImageName(alias), { ...spec, name: alias });
  }

  get(name: string): ImageSpec | undefined {
    return this.images.get(normalizeImageName(name));
  }

  has(name: string): boolean {
    return this.images.has(normalizeImageName(name));
  }

  names(): string[] {
    return [...this.images.keys()].sort();
  }
}
