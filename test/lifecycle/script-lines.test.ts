// Script extension output lines: eachLine (src/lifecycle/hooks/script.ts) splits as node:readline did before it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import { eachLine } from '../../src/lifecycle/hooks/script.ts';

async function lines(chunks: Buffer[], split: 'readline' | 'eachLine'): Promise<string[]> {
  const input = new PassThrough();
  const out: string[] = [];
  const done = new Promise<void>((ok) => input.on('end', () => setImmediate(ok)));
  if (split === 'readline') createInterface({ input, crlfDelay: Infinity }).on('line', (l) => out.push(l));
  else eachLine(input, (l) => out.push(l));
  for (const c of chunks) input.write(c);
  input.end();
  await done;
  return out;
}

test('lines as node:readline gives them, however the bytes are cut into chunks', async () => {
  const texts = ['a\r\nb\rc\n\nd', 'one\ntwo\n', '\r\n\r\n\r', 'no end', '', '\n', 'é€😀 ünïcödé\r\nend\r', 'x\r\r\ny\n\rz'];
  for (const text of texts) {
    const bytes = Buffer.from(text, 'utf8');
    const want = await lines([bytes], 'readline');
    // every way of cutting the bytes in two and three, including inside a \r\n and inside a UTF-8 sequence
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) {
        const chunks = [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)].filter((c) => c.length);
        assert.equal(await lines(chunks, 'eachLine'), want, `${JSON.stringify(text)} cut at ${i},${j}`);
        assert.equal(await lines(chunks, 'readline'), want, `readline itself, ${JSON.stringify(text)} cut at ${i},${j}`);
      }
    }
  }
});

test.run();
