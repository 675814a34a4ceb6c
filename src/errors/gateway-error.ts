import { GraphQLError } from 'graphql';
import { ErrorCode } from './error-code';

/**
 * An error the gateway raises itself (validation, missing token). Its message is written for
 * the client and must never contain a secret.
 */
export class GatewayError extends GraphQLError {
  constructor(code: ErrorCode, message: string, details: Record<string, string | number> = {}) {
    super(message, { extensions: { ...details, code } });
    this.name = 'GatewayError';
  }
}

export const badUserInput = (message: string): GatewayError => new GatewayError(ErrorCode.BadUserInput, message);

export const unauthenticated = (message: string): GatewayError => new GatewayError(ErrorCode.Unauthenticated, message);
