/** The SODA multicloud AK/SK API's wire format (pinned by the client's unit tests and the integration suite). */

/** `POST /v1/{project_id}/aksks`. The how-to's `{"credential":{...}}` wrapper is refused today. */
export interface CreateAkSkBody {
  user_id: string;
  project_id: string;
}
