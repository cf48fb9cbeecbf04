// go-units size formatting, as `docker stats` and others print sizes.

const DECIMAL_ABBRS = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
const BINARY_ABBRS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

function sizeAndUnit(size: number, base: number, units: readonly string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]];
}

/** Go's %.Ng: N significant digits, trailing zeros dropped, exponent form for tiny/huge values. */
export function goFormatG(value: number, precision: number): string {
  if (value === 0) return "0";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : Number.isNaN(value) ? "NaN" : "-Inf";
  const exp = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(precision)))));
  if (exp < -4 || exp >= precision) {
    const [mant, e] = value.toExponential(precision - 1).split("e");
    const m = stripZeros(mant);
    const n = Number(e);
    return `${m}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  return stripZeros(value.toFixed(Math.max(0, precision - 1 - exp)));
}

function stripZeros(s: string): string {
  if (!s.includes(".")) return s;
  return s.replace(/\.?0+$/, "");
}

/** go-units BytesSize: binary units, 4 significant digits ("1.5MiB", "512B", "1.944GiB"). */
export function bytesSize(bytes: number): string {
  const [v, u] = sizeAndUnit(bytes, 1024, BINARY_ABBRS);
  return `${goFormatG(v, 4)}${u}`;
}

/** go-units HumanSizeWithPrecision: decimal units ("1.2kB", "648B" with precision 3). */
export function humanSizeWithPrecision(bytes: number, precision: number): string {
  const [v, u] = sizeAndUnit(bytes, 1000, DECIMAL_ABBRS);
  return `${goFormatG(v, precision)}${u}`;
}

/** go-units HumanSize: decimal units, 4 significant digits ("2.746MB", "796kB"). */
export function humanSize(bytes: number): string {
  return humanSizeWithPrecision(bytes, 4);
}
