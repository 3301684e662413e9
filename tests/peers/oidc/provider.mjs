// A real OpenID Provider for Belong's tests: the certified `oidc-provider` package, with its
// development sign-in pages (any login; the password is not checked), PKCE required, RP-initiated
// logout and refresh tokens on. Run by tests/people/sso/provider.py, never in production.
//
//   node provider.mjs PORT CONFIG.json
//
// CONFIG.json: {"client": {client_id, client_secret, redirect_uris, post_logout_redirect_uris},
//               "accounts": "path/to/accounts.json"}
// accounts.json (read again at every use, so a test can change claims or disable someone):
//   {"<subject>": {"claims": {"email": ..., ...}, "disabled": false}}
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));
const accounts = () => JSON.parse(readFileSync(config.accounts, 'utf8'));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    ...config.client,
  }],
  pkce: { required: () => true },
  scopes: ['openid', 'offline_access', 'email', 'profile', 'belong'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
    belong: ['employee_id', 'affiliation', 'org_unit'],
  },
  async findAccount(ctx, sub) {
    const account = accounts()[sub];
    if (!account || account.disabled) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account.claims }) };
  },
  async issueRefreshToken(ctx, client, code) {
    return client.grantTypeAllowed('refresh_token');
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['belong-test-provider'] },
  ttl: { AccessToken: 600, IdToken: 600, RefreshToken: 3600, Grant: 3600, Session: 3600 },
});
provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write(`listening ${port}\n`);
});
