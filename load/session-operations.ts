/**
 * The GraphQL documents the virtual clients send, selecting what `client/operations/*.graphql`
 * select (what the typed client and the console send). Each is named after its one root field,
 * which is also the name it is reported under.
 */

export const LOGIN = `mutation login($input: LoginInput!) {
  login(input: $input) { token expiresAt issuedAt methods user { id name domain { id name } enabled defaultProjectId } project { id name domain { id name } enabled } roles { id name } }
}`;

export const SCOPE_TOKEN = `mutation scopeToken($input: ScopeTokenInput!) {
  scopeToken(input: $input) { token expiresAt issuedAt methods user { id name domain { id name } } project { id name domain { id name } enabled } roles { id name } }
}`;

export const CREATE_AK_SK = `mutation createAkSk($input: CreateAkSkInput!) {
  createAkSk(input: $input) { accessKey secretKey userId projectId type }
}`;

export const AK_SK = `query akSk($userId: ID!, $projectId: ID) {
  akSk(userId: $userId, projectId: $projectId) { accessKey secretKey userId projectId type }
}`;

export const CREATE_DOWNLOAD_LINK = `mutation createAkSkDownloadLink($userId: ID!, $projectId: ID, $format: AkSkFileFormat) {
  createAkSkDownloadLink(userId: $userId, projectId: $projectId, format: $format) { url expiresAt format }
}`;

export const DELETE_AK_SK = `mutation deleteAkSk($userId: ID!, $projectId: ID) {
  deleteAkSk(userId: $userId, projectId: $projectId) { userId projectId deletedAccessKeys }
}`;

export const LOGOUT = `mutation logout { logout }`;

/** How the download step is reported: it is a plain GET, not a GraphQL operation. */
export const DOWNLOAD = 'GET /downloads';

/** Report order: a session's order. */
export const SESSION_STEPS = [
  'login',
  'scopeToken',
  'createAkSk',
  'akSk',
  'createAkSkDownloadLink',
  DOWNLOAD,
  'deleteAkSk',
  'logout',
] as const;

export interface TokenPayload {
  token: string;
  user: { id: string; name: string };
  project: { id: string; name: string } | null;
}

export interface PairPayload {
  accessKey: string;
  secretKey: string;
  userId: string;
  projectId: string;
}
