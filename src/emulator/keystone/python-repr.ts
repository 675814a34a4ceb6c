/**
 * Python's `repr()` and `pprint.pformat()` of decoded JSON, because Keystone's 400 messages
 * embed jsonschema's rendering of the schema and the instance.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0) as number;
  if (character === '\\') return '\\\\';
  if (character === '\n') return '\\n';
  if (character === '\r') return '\\r';
  if (character === '\t') return '\\t';
  if (code < 0x20 || (code >= 0x7f && code <= 0xa0)) return `\\x${code.toString(16).padStart(2, '0')}`;
  return character;
}

function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let body = '';
  for (const character of text) {
    body += character === quote ? `\\${quote}` : escapeCharacter(character);
  }
  return quote + body + quote;
}

/** `repr(value)`; `sortKeys` gives pprint's variant, which orders dict keys. */
export function pythonRepr(value: unknown, sortKeys = false): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return stringRepr(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => pythonRepr(item, sortKeys)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${stringRepr(key)}: ${pythonRepr(item, sortKeys)}`).join(', ')}}`;
}

function width(text: string): number {
  return [...text].length;
}

function splitLinesKeepingEnds(text: string): string[] {
  return text.match(/[^\n\r]*(?:\r\n|\n|\r)|[^\n\r]+$/g) ?? [text];
}

/** A port of CPython 3.11's `pprint.pformat(value, width=72)` for JSON values. */
export function pythonPformat(value: unknown, maxWidth = 72): string {
  const out: string[] = [];

  function format(item: unknown, indent: number, allowance: number, level: number): void {
    const rep = pythonRepr(item, true);
    if (width(rep) > maxWidth - indent - allowance) {
      if (isRecord(item) && Object.keys(item).length > 0) return printDict(item, indent, allowance, level + 1);
      if (Array.isArray(item) && item.length > 0) return printList(item, indent, allowance, level + 1);
      if (typeof item === 'string' && item.length > 0) return printString(item, indent, allowance, level + 1);
    }
    out.push(rep);
  }

  function printDict(record: Record<string, unknown>, indent: number, allowance: number, level: number): void {
    out.push('{');
    const entries = Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const itemIndent = indent + 1;
    const itemAllowance = allowance + 1;
    entries.forEach(([key, item], index) => {
      const last = index === entries.length - 1;
      const keyRep = stringRepr(key);
      out.push(keyRep, ': ');
      format(item, itemIndent + width(keyRep) + 2, last ? itemAllowance : 1, level);
      if (!last) out.push(',\n' + ' '.repeat(itemIndent));
    });
    out.push('}');
  }

  function printList(items: unknown[], indent: number, allowance: number, level: number): void {
    out.push('[');
    const itemIndent = indent + 1;
    items.forEach((item, index) => {
      const last = index === items.length - 1;
      if (index > 0) out.push(',\n' + ' '.repeat(itemIndent));
      format(item, itemIndent, last ? allowance + 1 : 1, level);
    });
    out.push(']');
  }

  function printString(text: string, indent: number, allowance: number, level: number): void {
    if (level === 1) {
      indent += 1;
      allowance += 1;
    }
    const chunks: string[] = [];
    const lines = splitLinesKeepingEnds(text);
    let lineWidth = maxWidth - indent;
    lines.forEach((line, lineIndex) => {
      const lastLine = lineIndex === lines.length - 1;
      if (lastLine) lineWidth -= allowance;
      if (width(stringRepr(line)) <= lineWidth) {
        chunks.push(stringRepr(line));
        return;
      }
      const parts = line.match(/\S*\s*/g) ?? [line];
      parts.pop();
      let partWidth = maxWidth - indent;
      let current = '';
      parts.forEach((part, partIndex) => {
        const candidate = current + part;
        if (partIndex === parts.length - 1 && lastLine) partWidth -= allowance;
        if (width(stringRepr(candidate)) > partWidth) {
          if (current) chunks.push(stringRepr(current));
          current = part;
        } else {
          current = candidate;
        }
      });
      if (current) chunks.push(stringRepr(current));
    });
    if (chunks.length === 1) {
      out.push(chunks[0]);
      return;
    }
    if (level === 1) out.push('(');
    out.push(chunks.join('\n' + ' '.repeat(indent)));
    if (level === 1) out.push(')');
  }

  format(value, 0, 0, 0);
  return out.join('');
}

/** `json.dumps(value)`: `", "` and `": "` separators, non-ASCII escaped as `\uXXXX`. */
export function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`)
      .join(', ')}}`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  return JSON.stringify(value) ?? 'null';
}
