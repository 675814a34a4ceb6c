/** The GraphQL operations the tests send, written as a client would. */
import { AkSkEventsDocument, AkSkEventsQuery } from '../../client/generated/graphql';

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      token
      expiresAt
      issuedAt
      methods
      user {
        id
        name
        domain {
          id
          name
        }
      }
      project {
        id
        name
        domain {
          id
          name
        }
      }
      roles {
        id
        name
      }
    }
  }
`;

export const SCOPE_TOKEN = /* GraphQL */ `
  mutation ScopeToken($input: ScopeTokenInput!) {
    scopeToken(input: $input) {
      token
      expiresAt
      user {
        id
        name
      }
      project {
        id
        name
        domain {
          id
          name
        }
      }
      roles {
        name
      }
    }
  }
`;

export const CREATE_AK_SK = /* GraphQL */ `
  mutation CreateAkSk($input: CreateAkSkInput!) {
    createAkSk(input: $input) {
      accessKey
      secretKey
      userId
      projectId
      type
      status
      description
      createdAt
      createdBy
      expiresAt
    }
  }
`;

const AK_SK_FIELDS = 'accessKey secretKey userId projectId type status description createdAt createdBy expiresAt';

export const UPDATE_AK_SK = /* GraphQL */ `
  mutation UpdateAkSk($input: UpdateAkSkInput!) {
    updateAkSk(input: $input) { ${AK_SK_FIELDS} }
  }
`;

export const DEACTIVATE_AK_SK = /* GraphQL */ `
  mutation DeactivateAkSk($accessKey: String!) {
    deactivateAkSk(accessKey: $accessKey) { ${AK_SK_FIELDS} }
  }
`;

export const ACTIVATE_AK_SK = /* GraphQL */ `
  mutation ActivateAkSk($accessKey: String!) {
    activateAkSk(accessKey: $accessKey) { ${AK_SK_FIELDS} }
  }
`;

export const ROTATE_AK_SK = /* GraphQL */ `
  mutation RotateAkSk($accessKey: String!) {
    rotateAkSk(accessKey: $accessKey) { newPair { ${AK_SK_FIELDS} } previousPair { ${AK_SK_FIELDS} } }
  }
`;

export const AK_SK = /* GraphQL */ `
  query AkSk($userId: ID!, $projectId: ID) {
    akSk(userId: $userId, projectId: $projectId) {
      accessKey
      secretKey
      userId
      projectId
      type
      status
      description
      createdAt
      createdBy
      expiresAt
    }
  }
`;

export const DELETE_AK_SK = /* GraphQL */ `
  mutation DeleteAkSk($userId: ID!, $projectId: ID) {
    deleteAkSk(userId: $userId, projectId: $projectId) {
      userId
      projectId
      deletedAccessKeys
    }
  }
`;

export const CREATE_DOWNLOAD_LINK = /* GraphQL */ `
  mutation CreateAkSkDownloadLink($userId: ID!, $projectId: ID, $format: AkSkFileFormat) {
    createAkSkDownloadLink(userId: $userId, projectId: $projectId, format: $format) {
      url
      expiresAt
      format
    }
  }
`;

export interface AuthTokenResult {
  token: string;
  expiresAt: string;
  issuedAt: string;
  methods: string[];
  user: { id: string; name: string; domain: { id: string; name: string } };
  project: { id: string; name: string; domain: { id: string; name: string } } | null;
  roles: Array<{ id: string; name: string }>;
}

export interface AkSkResult {
  accessKey: string;
  secretKey: string;
  userId: string;
  projectId: string;
  type: string;
  status: 'ACTIVE' | 'INACTIVE' | 'EXPIRED';
  description: string | null;
  createdAt: string | null;
  createdBy: string | null;
  expiresAt: string | null;
}

export const DELETE_AK_SK_BY_ACCESS_KEY = /* GraphQL */ `
  mutation DeleteAkSkByAccessKey($accessKey: String!) {
    deleteAkSkByAccessKey(accessKey: $accessKey) {
      accessKey
      userId
      projectId
    }
  }
`;

/** The typed client's own document (client/operations/ak-sk-events.graphql), as text. */
export const AK_SK_EVENTS = AkSkEventsDocument.toString();

export type AkSkEventResult = AkSkEventsQuery['akSkEvents'][number];
