/** The SODA multicloud AK/SK API's wire format (see shared/UPSTREAM.md). */

/** `POST /v1/{project_id}/aksks`. The how-to's `{"credential":{...}}` wrapper is refused today. */
export interface CreateAkSkBody {
  user_id: string;
  project_id: string;
}

/** One element of `GET /v1/{project_id}/aksks/{user_id}`, which sends `null` for none. */
export interface AkSkRecord {
  project_id: string;
  user_id: string;
  type: string;
  blob: { access_key: string; secret_key: string };
}

/** `POST` answers with only the new keys. */
export interface CreatedAkSk {
  access_key: string;
  secret_key: string;
}
