export * from './mcp-test.server';
export * from './everything-server';
