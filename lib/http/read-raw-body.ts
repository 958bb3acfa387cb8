import { AppError } from "./errors";

function tooLarge(limitBytes: number) {
  return new AppError("payload_too_large", 413, `The request body must be at most ${limitBytes} bytes.`);
}

/**
 * The request body as bytes, read once, refusing more than `limitBytes` before buffering it all:
 * a declared Content-Length over the limit is refused unread, and a stream that runs past it is
 * cut off.
 */
export async function readRawBody(request: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel();
      throw tooLarge(limitBytes);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
