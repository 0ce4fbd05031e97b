import { FakeLlmServer, fakeReply } from '@flowstack/testing';

// A fake vendor in its own process, so the benchmark's CPU figures are the client's alone.
// argv: anthropic|openai. Serves, round and round: a tool call, then a 50-token answer.
const vendor = process.argv[2] === 'openai' ? 'openai' : 'anthropic';
const answer = Array.from({ length: 50 }, (_, i) => `token${i}`).join(' ');
void new FakeLlmServer(vendor)
  .repeat(
    fakeReply.toolCalls([{ name: 'lookup', arguments: { q: 'x' } }], { inputTokens: 500, outputTokens: 20 }),
    fakeReply.text(answer, { inputTokens: 600, outputTokens: 50 }),
  )
  .start()
  .then((server) => {
    // The record of requests would grow without bound over a benchmark.
    setInterval(() => (server.requests.length = 0), 1000).unref();
    process.send?.({ baseUrl: server.baseUrl });
  });
