import { assertBaseUrlAllowed } from './base-url.guard';

describe('assertBaseUrlAllowed (the http tools outbound policy for provider base URLs)', () => {
  it.each([
    'http://127.0.0.1:8080/v1',
    'http://[::1]:1/v1',
    'http://10.0.0.5',
    'http://169.254.169.254/latest',
    'http://localhost:11434/v1',
  ])('refuses %s with address_not_allowed', async (url) => {
    await expect(assertBaseUrlAllowed(url)).rejects.toMatchObject({
      code: 'address_not_allowed',
      retryable: false,
      message: expect.stringContaining('TOOL_HTTP_ALLOW_PRIVATE'),
    });
  });

  it('lets a public address through', async () => {
    await expect(assertBaseUrlAllowed('https://8.8.8.8/v1')).resolves.toBeUndefined();
  });

  it('says which host does not resolve (retryable)', async () => {
    await expect(assertBaseUrlAllowed('https://no-such-host.invalid/v1')).rejects.toMatchObject({
      code: 'provider_unavailable',
      retryable: true,
    });
  });
});
