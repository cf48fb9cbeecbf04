// The images the simulated world has: what a registry would find. An image outside it is, for
// the simulator, one that no registry holds, and Docker's words for that ("pull access denied
// for postgres, repository does not exist", "No such image") would read as a fact about the real
// image; so a [lab] line also says which images the lab simulates.
import { displayImageName, normalizeImageName } from "../engine/images";

/** The lab's registry, as the commands see it. */
export interface ImageCatalog {
  has(name: string): boolean;
  /** Every image, normalized (`nginx:latest`), sorted. */
  names(): string[];
}

/** The [lab] note for an image the world does not have. */
export function notSimulatedNote(image: string, catalog: ImageCatalog): string {
  const known = catalog.names().map(displayImageName).join(", ");
  return `[lab] ${normalizeImageName(image)} is not one of the lab's simulated images: ${known}\n`;
}

/**
 * dockerd's warning when it cannot find an image's digest in a registry at service create (or
 * update of the image), which the CLI prints on stderr with a blank line after it (moby
 * daemon/cluster/services.go digestWarning).
 */
export function digestWarning(image: string): string {
  return `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.\n\n`;
}
