import { GatewayConfig } from './config';
import { DEMO_LOGINS } from './emulator/seed';
import { UpstreamUrls } from './upstreams/create-upstreams';

/**
 * What `npm start` prints for a person: where the API, the explorer and the console are, which
 * upstreams it talks to and where AK/SK pairs are kept. Logs carry the same facts as JSON.
 */
export function startupLines(config: GatewayConfig, url: string, urls: UpstreamUrls, embedded: boolean): string[] {
  const lines = [`GraphQL endpoint: ${url}/graphql`];
  const schemaNote = config.introspection ? '' : '; GRAPHQL_INTROSPECTION is off, so it shows no schema';
  if (config.explorer === 'graphiql')
    lines.push(`GraphiQL:         open ${url}/graphql in a browser (works offline${schemaNote})`);
  else if (config.explorer === 'sandbox')
    lines.push(`Apollo Sandbox:   open ${url}/graphql in a browser (loads from Apollo's CDN${schemaNote})`);
  else lines.push('Explorer:         off (GRAPHQL_EXPLORER=graphiql to serve one)');
  lines.push(
    config.consoleEnabled
      ? `Web console:      ${url}${config.consolePath}/`
      : 'Web console:      off (CONSOLE_ENABLED=true to serve it)',
  );
  const origin = embedded ? 'embedded emulator' : 'KEYSTONE_URL';
  lines.push(`Keystone:         ${urls.keystoneUrl} (${origin})`);
  lines.push(
    config.akSkBackend === 'multicloud'
      ? `AK/SK pairs:      multicloud service ${urls.multicloudUrl ?? '(unset)'} (${embedded ? 'embedded emulator' : 'MULTICLOUD_URL'})`
      : `AK/SK pairs:      Keystone's credentials API (${urls.multicloudUrl ? 'AKSK_BACKEND=keystone' : 'no MULTICLOUD_URL'})`,
  );
  if (embedded) {
    lines.push(`Demo login:       ${DEMO_LOGINS.admin.name} / ${DEMO_LOGINS.admin.password}, domain Default, project admin`);
  }
  return lines;
}
