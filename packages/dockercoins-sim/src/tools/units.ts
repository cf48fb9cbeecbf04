// Sizes as Docker prints them (go-units): BytesSize for memory ("18.6MiB", "3.84GiB"), and
// HumanSizeWithPrecision for network and block I/O ("1.23kB", "648B").

const BINARY = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
const DECIMAL = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/** Go's %.<prec>g: `prec` significant digits, trailing zeros dropped, %e form for big or tiny exponents. */
export function formatG(x: number, prec: number): string {
  if (x === 0) return "0";
  if (!Number.isFinite(x)) return String(x);
  const strip = (m: string) => (m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m);
  // The exponent after rounding to `prec` digits decides the form (999.96 -> 1e+03).
  const [mant, e] = x.toExponential(prec - 1).split("e");
  const exp = Number(e);
  if (exp < -4 || exp >= prec)
    return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return strip(x.toFixed(Math.max(0, prec - 1 - exp)));
}

function custom(size: number, prec: number, base: number, units: readonly string[]): string {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return `${formatG(size, prec)}${units[i]}`;
}

/** go-units BytesSize: binary units, 4 significant digits. */
export function bytesSize(size: number): string {
  return custom(size, 4, 1024, BINARY);
}

/** go-units HumanSizeWithPrecision: decimal units. */
export function humanSizeWithPrecision(size: number, precision: number): string {
  return custom(size, precision, 1000, DECIMAL);
}

/** go-units HumanSize: decimal units, 4 significant digits. */
export function humanSize(size: number): string {
  return humanSizeWithPrecision(size, 4);
}
