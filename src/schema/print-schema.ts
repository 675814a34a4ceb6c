import { printSchema } from 'graphql';
import { buildGatewaySchema } from './build-schema';

/** The committed `schema.graphql`: what codegen clients are generated from. */
export function printGatewaySchema(): string {
  return printSchema(buildGatewaySchema()) + '\n';
}

if (require.main === module) process.stdout.write(printGatewaySchema());
