/** One part of a multipart/form-data body: a field (no filename) or a file. */
export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/**
 * A small multipart/form-data parser for test servers (the fake BlueBubbles' attachment
 * route): enough of RFC 7578 for what fetch + FormData produce. Not for untrusted input.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${marker}`);
  const parts: FormPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next === -1) throw new Error('multipart body is not terminated');
    // each part: CRLF, headers, CRLF CRLF, data, CRLF, then the next delimiter
    const part = body.subarray(afterDelimiter + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) throw new Error('multipart part without headers');
    parts.push(parsePart(part.subarray(0, headerEnd).toString('utf8'), part.subarray(headerEnd + 4)));
    start = next;
  }
  return parts;
}

function parsePart(headerText: string, data: Buffer): FormPart {
  const headers = new Map(
    headerText.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const;
    }),
  );
  const disposition = headers.get('content-disposition') ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw new Error('multipart part without a name');
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = headers.get('content-type');
  return { name, ...(filename === undefined ? {} : { filename }), ...(contentType ? { contentType } : {}), data: Buffer.from(data) };
}
