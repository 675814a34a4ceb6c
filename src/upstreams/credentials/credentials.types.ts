/** Keystone's `/v3/credentials` resources, as the gateway reads them. */

export interface Credential {
  id: string;
  userId: string;
  projectId: string | undefined;
  type: string;
  /** Keystone stores the blob as a JSON string; for `ec2`: `{"access","secret"[,"trust_id"]}`. */
  blob: string;
}

export interface CreateCredentialRequest {
  userId: string;
  projectId: string;
  type: string;
  blob: string;
}

/** The keys inside an `ec2` credential's blob. */
export interface Ec2Keys {
  access: string;
  secret: string;
}
