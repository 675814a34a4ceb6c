import { ServerResponse } from 'node:http';
import { failureFor, toHttpError } from '../errors/client-error';
import { ErrorCode } from '../errors/error-code';
import { renderAkSkFile } from '../downloads/ak-sk-file';
import { DownloadLinkStore } from '../downloads/download-link-store';
import { AuditTrail, failureOf } from '../observability/audit-trail';
import { Logger } from '../observability/logger';
import { AkSkBackend } from '../upstreams/ak-sk-backend';
import { sendJson } from './http-io';

/**
 * `GET /downloads/{id}`: redeems a single-use link made by `createAkSkDownloadLink` and sends the
 * user's pairs as an attachment. The link is spent before the upstream is asked, so a failed
 * download needs a new link: never a second chance for a leaked URL.
 */
export async function serveDownload(
  id: string,
  response: ServerResponse,
  deps: { downloads: DownloadLinkStore; akSkBackend: AkSkBackend; logger: Logger; audit: AuditTrail; requestId: string },
): Promise<void> {
  const grant = await deps.downloads.redeem(id);
  if (!grant) {
    sendError(response, 404, ErrorCode.NotFound, 'This download link is unknown, expired or already used. Ask for a new one.');
    return;
  }
  try {
    const backend = deps.akSkBackend.withRequestId(deps.requestId);
    const listed = await backend.listAkSks(grant.token, { userId: grant.userId, projectId: grant.projectId });
    const pairs = grant.accessKey === undefined ? listed : listed.filter((pair) => pair.accessKey === grant.accessKey);
    // The one pair asked for was deleted between the link and its use: say so rather than send an empty file.
    if (grant.accessKey !== undefined && pairs.length === 0) throw failureFor('credential-not-visible');
    const file = renderAkSkFile(grant.userId, pairs, grant.format);
    for (const pair of file.pairs) {
      deps.audit.record({
        event: 'aksk.downloaded',
        accessKey: pair.accessKey,
        userId: pair.userId,
        projectId: pair.projectId,
        initiator: grant.issuedBy,
        outcome: 'success',
        requestId: deps.requestId,
      });
    }
    response.writeHead(200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.filename}"`,
      'content-length': Buffer.byteLength(file.body),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'",
    });
    response.end(file.body);
  } catch (error) {
    const { code, message, httpStatus } = toHttpError(error);
    deps.audit.record({
      event: 'aksk.downloaded',
      accessKey: null,
      userId: grant.userId,
      projectId: grant.projectId,
      initiator: grant.issuedBy,
      outcome: failureOf(error),
      requestId: deps.requestId,
    });
    deps.logger.warn({ requestId: deps.requestId, err: error, code }, 'download failed');
    sendError(response, httpStatus, code, message);
  }
}

function sendError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, { error: { code, message } });
}
