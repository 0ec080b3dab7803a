/**
 * Where each value of a JSON text starts (line and column, from 1), by its path (`tables[1].columns[2]`): so an error
 * about a column can point at the line of the file the user edits. A scanner of JSON's grammar that records offsets;
 * the text is parsed for its values by JSON.parse, never here.
 */

export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** The start of every object and array value of `text`, by path; an empty map if the text is not valid JSON. */
export function valuePositions(text: string): Map<string, TextPosition> {
  const starts = new Map<string, number>();
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at])) at += 1;
  };
  const readString = (): string => {
    const begin = at;
    at += 1;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at += 1;
    return JSON.parse(text.slice(begin, at)) as string;
  };
  const readValue = (path: string): void => {
    skipSpace();
    starts.set(path, at);
    const c = text[at];
    if (c === '{') {
      at += 1;
      skipSpace();
      if (text[at] === '}') { at += 1; return; }
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        at += 1; // ':'
        readValue(path === '' ? key : `${path}.${key}`);
        skipSpace();
        if (text[at++] === '}') return;
      }
    } else if (c === '[') {
      at += 1;
      skipSpace();
      if (text[at] === ']') { at += 1; return; }
      for (let i = 0; ; i += 1) {
        readValue(`${path}[${i}]`);
        skipSpace();
        if (text[at++] === ']') return;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (at < text.length && !',}] \t\r\n'.includes(text[at])) at += 1;
    }
  };
  try {
    JSON.parse(text);
    readValue('');
  } catch {
    return new Map();
  }
  const lineStarts = [0];
  for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') lineStarts.push(i + 1);
  const positions = new Map<string, TextPosition>();
  for (const [path, offset] of starts) {
    let line = 0;
    for (let lo = 0, hi = lineStarts.length - 1; lo <= hi;) {
      const mid = Math.floor((lo + hi) / 2);
      if (lineStarts[mid] <= offset) { line = mid; lo = mid + 1; } else {hi = mid - 1;}
    }
    positions.set(path, { line: line + 1, column: offset - lineStarts[line] + 1 });
  }
  return positions;
}
