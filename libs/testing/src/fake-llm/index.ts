export * from './fake-llm.script';
export { FakeLlmServer, type FakeLlmRequest, type FakeLlmServerOptions } from './fake-llm.server';
