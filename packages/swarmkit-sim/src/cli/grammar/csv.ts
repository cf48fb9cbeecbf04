// Go's encoding/csv for one record, as the Docker CLI reads "key=value,key=value" options:
// fields may be double-quoted ("a,b" stays one field; "" inside quotes is a quote).
export function readCsvRecord(text: string): { ok: true; fields: string[] } | { ok: false; error: string } {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let field = "";
      i++;
      for (;;) {
        if (i >= text.length)
          return {
            ok: false,
            error: 'parse error on line 1, column 0: extraneous or missing " in quoted-field',
          };
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ",") {
        return {
          ok: false,
          error: `parse error on line 1, column ${i + 1}: extraneous or missing " in quoted-field`,
        };
      }
      fields.push(field);
    } else {
      const end = text.indexOf(",", i);
      const field = end < 0 ? text.slice(i) : text.slice(i, end);
      if (field.includes('"'))
        return {
          ok: false,
          error: `parse error on line 1, column ${i + field.indexOf('"') + 1}: bare " in non-quoted-field`,
        };
      fields.push(field);
      i = end < 0 ? text.length : end;
    }
    if (i >= text.length) return { ok: true, fields };
    i++; // the comma
  }
}
