import { AkSkBackend, AkSkPair, AkSkTarget } from '../ak-sk-backend';
import { asArray, asRecord, asString } from '../body-shape';
import { UpstreamError, UpstreamReason } from '../../errors/upstream-error';
import { pathOf, UpstreamHttp, UpstreamRequest } from '../upstream-http';
import { CreateAkSkBody } from './multicloud.types';

const COMMON_REASONS: Record<number, UpstreamReason> = {
  401: 'token-unknown',
  403: 'policy-refused',
};

/** The SODA multicloud AK/SK service (`/v1/{project_id}/aksks`). */
export class MulticloudClient implements AkSkBackend {
  readonly storesMetadata = false;
  readonly reportsDeletedKeys = false;

  constructor(private readonly http: UpstreamHttp) {}

  withRequestId(requestId: string): MulticloudClient {
    return new MulticloudClient(this.http.withRequestId(requestId));
  }

  async createAkSk(token: string, target: AkSkTarget): Promise<AkSkPair> {
    const body: CreateAkSkBody = { user_id: target.userId, project_id: target.projectId };
    const call: UpstreamRequest = {
      method: 'POST',
      path: pathOf`/v1/${target.projectId}/aksks`,
      headers: { 'x-auth-token': token },
      json: body,
      expect: [200, 201],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw explain(error, {
        // The service answers 400 for an unknown user or project once the input is well formed,
        // which the gateway checks before calling.
        400: 'target-not-found',
      });
    });
    const created = asRecord(response.body);
    const accessKey = asString(created?.access_key);
    const secretKey = asString(created?.secret_key);
    if (!accessKey || !secretKey) throw this.http.invalidResponse(call, response, 'no access_key or secret_key');
    return { accessKey, secretKey, userId: target.userId, projectId: target.projectId, type: 'ec2' };
  }

  async listAkSks(token: string, target: AkSkTarget): Promise<AkSkPair[]> {
    const call: UpstreamRequest = {
      method: 'GET',
      path: pathOf`/v1/${target.projectId}/aksks/${target.userId}`,
      headers: { 'x-auth-token': token },
      expect: [200],
    };
    const response = await this.http.send(call).catch((error: unknown) => {
      throw explain(error, {});
    });
    // The service says "none" with `null`; an empty body is a broken upstream or proxy, and
    // reading it as "no pairs" would tell a user their keys are gone.
    if (response.body === null) return [];
    const records = asArray(response.body);
    if (!records) throw this.http.invalidResponse(call, response, 'not a list');
    const pairs: AkSkPair[] = [];
    for (const entry of records) {
      const record = asRecord(entry);
      const blob = asRecord(record?.blob);
      const accessKey = asString(blob?.access_key);
      const secretKey = asString(blob?.secret_key);
      // The service lists every credential of the user; only those holding a key pair are AK/SK.
      if (!record || !accessKey || !secretKey) continue;
      pairs.push({
        accessKey,
        secretKey,
        userId: asString(record.user_id) ?? target.userId,
        projectId: asString(record.project_id) ?? '',
        type: asString(record.type) ?? 'ec2',
      });
    }
    return pairs;
  }

  /** The service answers `{}` whatever it deleted, so the access keys are unknown. */
  async deleteAkSks(token: string, target: AkSkTarget): Promise<undefined> {
    await this.http
      .send({
        method: 'DELETE',
        path: pathOf`/v1/${target.projectId}/aksks/${target.userId}`,
        headers: { 'x-auth-token': token },
        expect: [200, 204],
      })
      .catch((error: unknown) => {
        throw explain(error, {});
      });
    return undefined;
  }
}

function explain(error: unknown, reasons: Record<number, UpstreamReason>): unknown {
  if (!(error instanceof UpstreamError) || error.status === undefined) return error;
  const reason = reasons[error.status] ?? COMMON_REASONS[error.status];
  return reason ? error.withReason(reason) : error;
}
