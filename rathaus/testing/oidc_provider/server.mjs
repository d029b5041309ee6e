// A real OpenID provider for Rathaus's tests: oidc-provider on 127.0.0.1 with in-memory storage and development
// keys. The test decides who logs in and with which acr through the provider's own interaction page.
//
//   node server.mjs PORT
//   env OIDC_REDIRECT_URIS  comma-separated redirect URIs of the one static client
//       OIDC_CLIENT_ID      client id (default "rathaus")
//       OIDC_CLIENT_SECRET  client secret
//       OIDC_ACCOUNTS       JSON {accountId: {given_name, family_name, birthdate, address, email, ...}}
//       OIDC_ACCOUNTS_FILE  or the same JSON in a file (the demo of `make run` uses demo-accounts.json)
import { readFileSync } from "node:fs";
import http from "node:http";
import { Provider } from "oidc-provider";

const port = Number(process.argv[2] || process.env.OIDC_PORT);
if (!port) {
  console.error("usage: node server.mjs PORT");
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(
  process.env.OIDC_ACCOUNTS_FILE ? readFileSync(process.env.OIDC_ACCOUNTS_FILE, "utf8") : process.env.OIDC_ACCOUNTS || "{}",
);
const ACR_VALUES = ["niedrig", "substanziell", "hoch"];

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID || "rathaus",
      client_secret: process.env.OIDC_CLIENT_SECRET || "rathaus-test-secret",
      redirect_uris: (process.env.OIDC_REDIRECT_URIS || "").split(",").filter(Boolean),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ],
  acrValues: ACR_VALUES,
  claims: {
    acr: null,
    auth_time: null,
    sid: null,
    iss: null,
    openid: ["sub"],
    profile: ["given_name", "family_name", "birthdate"],
    email: ["email", "email_verified"],
    address: ["address"],
  },
  cookies: { keys: ["rathaus-tests-only"] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
});

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid, params) {
  const options = (values) => values.map((v) => `<option value="${escape(v)}">${escape(v)}</option>`).join("");
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Test-Anmeldung</title></head>
<body><main><h1>Test-Anmeldung</h1>
<p>Angefragtes Vertrauensniveau: <span id="acr-values">${escape(params.acr_values || "")}</span></p>
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Konto</label> <select id="login" name="login">${options(Object.keys(accounts))}</select>
<label for="acr">Vertrauensniveau</label> <select id="acr" name="acr">${options(ACR_VALUES)}</select>
<button type="submit">Anmelden</button>
</form>
<form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Abbrechen</button></form>
</main></body></html>`;
}

async function readForm(req) {
  let body = "";
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error("interaction mismatch");
  const { prompt, params, session } = details;
  if (action === "abort") {
    const result = { error: "access_denied", error_description: "End-User aborted interaction" };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  }
  if (prompt.name === "login") {
    if (action !== "login") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(loginPage(uid, params));
    }
    const form = await readForm(req);
    const accountId = form.get("login");
    const acr = form.get("acr");
    if (!Object.hasOwn(accounts, accountId) || !ACR_VALUES.includes(acr)) {
      res.writeHead(400, { "content-type": "text/plain" });
      return res.end("unknown account or acr");
    }
    return provider.interactionFinished(req, res, { login: { accountId, acr } }, { mergeWithLastSubmission: false });
  }
  if (prompt.name === "consent") {
    // One first-party client: consent is given at once.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  res.writeHead(501);
  return res.end();
}

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(new URL(req.url, issuer).pathname);
  if (!match) return callback(req, res);
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    res.writeHead(400, { "content-type": "text/plain" });
    res.end(String(error));
  }
});
server.listen(port, "127.0.0.1", () => console.log(`listening on ${issuer}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
