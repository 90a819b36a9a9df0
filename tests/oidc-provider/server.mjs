// A real OpenID provider (panva/oidc-provider, OpenID-certified) on loopback for the sign-in
// end-to-end tests. It plays Microsoft (tid, oid) and Google (hd, email_verified): the claims
// come from the accounts in the JSON file named on the command line.
//
//   node server.mjs accounts.json
//
// accounts.json: { "clients": [{ "client_id", "client_secret", "redirect_uris": [...] }],
//                  "accounts": { "<account id>": { "sub"?, "tid"?, "oid"?, "hd"?, "email"?, ... } } }
//
// The login "page" is a form with one field, the account id; consent is given automatically, so a
// test drives the whole flow with an HTTP client. Prints "listening <issuer>" once ready.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const settings = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = settings.accounts ?? {};

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: settings.clients.map((c) => ({
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...c,
  })),
  // The claims Microsoft and Google put in their ID tokens; custom ones must be declared to be released.
  claims: {
    openid: ['sub', 'tid', 'oid', 'hd'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  scopes: ['openid', 'offline_access', 'profile', 'email', 'User.Read', 'Calendars.Read',
    'https://www.googleapis.com/auth/calendar.events.readonly'],
  // Microsoft and Google put the profile claims in the ID token itself; the app reads only the ID token.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  // Refresh tokens for the "connect once" calendar grant, whatever the prompt.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...account };
      },
    };
  },
  cookies: { keys: ['etrap-test-provider-cookie-key'] },
  ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600, RefreshToken: 600 },
});

const callback = provider.callback();

const readForm = (req) => new Promise((resolve, reject) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => resolve(new URLSearchParams(body)));
  req.on('error', reject);
});

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { uid, prompt, params } = details;
  if (prompt.name === 'login') {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<form id="login" method="post" action="/interaction/${uid}"><input name="account"></form>`);
      return;
    }

    const account = (await readForm(req)).get('account');
    if (!accounts[account]) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`no test account '${account}'`);
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account } }, { mergeWithLastSubmission: false });
    return;
  }

  // Consent: everything the client asked for is granted.
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) {
    grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
  }
  if (prompt.details.missingOIDCClaims) {
    grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  }
  for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    return;
  }
  callback(req, res);
});

console.log(`listening ${issuer}`);
