import { ACCESS_POLICY } from '../access/access-policy';
import { EXECUTION_START_ROUTES } from './execution-start-routes';

describe('EXECUTION_START_ROUTES', () => {
  it('names only routes of the access policy, so a renamed route cannot drop out of the limit', () => {
    for (const route of EXECUTION_START_ROUTES) expect(Object.keys(ACCESS_POLICY)).toContain(route);
  });

  it('holds the manual start', () => {
    expect(EXECUTION_START_ROUTES.has('POST /api/v1/workflows/{id}/executions')).toBe(true);
  });
});
