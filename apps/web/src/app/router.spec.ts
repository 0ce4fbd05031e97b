import { LIST_PAGES, routeOf } from './router';

describe('routes from the URL path', () => {
  it('opens the designer, a run, a workflow history and every list page', () => {
    expect(routeOf('/workflows/new')).toEqual({ page: 'designer' });
    expect(routeOf('/workflows/w1')).toEqual({ page: 'designer', workflowId: 'w1' });
    expect(routeOf('/workflows/w1/executions')).toEqual({ page: 'workflow-runs', workflowId: 'w1' });
    expect(routeOf('/executions/e1')).toEqual({ page: 'monitor', executionId: 'e1' });
    for (const page of LIST_PAGES) expect(routeOf(`/${page}`)).toEqual({ page });
  });

  it('falls back to the workflows for anything else', () => {
    expect(routeOf('/')).toEqual({ page: 'workflows' });
    expect(routeOf('/nope/x')).toEqual({ page: 'workflows' });
  });
});
