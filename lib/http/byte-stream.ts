// Lines are sent in chunks of about this many characters: one chunk per line costs more in the
// response pipeline than the export itself (measured: 10,000 rows took 2.7 s, 1.0 s chunked).
const CHUNK_CHARACTERS = 32 * 1024;

/** Pulls strings from `lines` only as fast as the client reads: the response applies back-pressure. */
export function byteStream(lines: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const iterator = lines[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      let chunk = "";
      while (chunk.length < CHUNK_CHARACTERS) {
        const { value, done } = await iterator.next();
        if (done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += value;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
