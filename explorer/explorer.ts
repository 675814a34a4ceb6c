/**
 * The gateway's own GraphQL explorer: GraphiQL from npm, bundled with its styles into
 * dist/explorer/ and served by the gateway, so it works with no internet. The page (explorer.html)
 * names the GraphQL endpoint and the console path in data attributes: no inline script, so the
 * page runs under a CSP that allows only its own files.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';
import './explorer.css';

const DEFAULT_QUERY = `# The AK/SK gateway. Docs: the book icon, left.
# 1. Run Login (edit the variables below first).
# 2. In Headers, put {"X-Auth-Token": "<login.token>"}
# 3. Set userId in the variables; run AkSk.

mutation Login($username: String!, $password: String!, $project: String) {
  login(input: { username: $username, password: $password, scope: { projectName: $project } }) {
    token
    expiresAt
    user { id name }
    project { id name }
  }
}

query AkSk($userId: ID!) {
  akSk(userId: $userId) { accessKey secretKey projectId type }
}
`;

const DEFAULT_VARIABLES = `{
  "username": "admin",
  "password": "",
  "project": "admin",
  "userId": "paste user.id from Login"
}`;

const root = document.getElementById('explorer');
if (!root) throw new Error('explorer.html has no #explorer element');
const endpoint = root.dataset.endpoint ?? 'graphql';
const consolePath = root.dataset.console ?? '';

const logo = createElement(
  GraphiQL.Logo,
  null,
  'AK/SK gateway',
  consolePath ? createElement('a', { className: 'explorer-console-link', href: consolePath }, 'Web console') : null,
);

createRoot(root).render(
  createElement(
    GraphiQL,
    {
      fetcher: createGraphiQLFetcher({ url: endpoint }),
      defaultQuery: DEFAULT_QUERY,
      // Only the first visit: later ones get the user's own tabs back from localStorage.
      variables: localStorage.getItem('graphiql:variables') === null ? DEFAULT_VARIABLES : undefined,
      // Tokens stay out of localStorage: a shared browser must not keep them.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: true,
    },
    logo,
  ),
);
