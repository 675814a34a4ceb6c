/**
 * The second reference: Apollo Server 5 + type-graphql on `node:http`, with the same schema shape
 * as the gateway for the benchmarked operations and no application code (no token validation,
 * no limits, no logging, metrics, CORS or request ids). It makes the same upstream calls as the
 * bare proxy over the same undici pools, so the gateway's distance to it is the cost of the
 * gateway's own layers, and its distance to the bare proxy the cost of the stack. Own process.
 */
import 'reflect-metadata';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import {
  Arg,
  Args,
  ArgsType,
  buildSchema,
  Ctx,
  Field,
  FieldResolver,
  ID,
  InputType,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Dispatcher, Pool } from 'undici';
import { BENCH_PAIR, PROJECT } from './fixtures';
import { ChildReady } from './protocol';

const keystoneUrl = new URL(required('KEYSTONE_URL'));
const multicloudUrl = new URL(required('MULTICLOUD_URL'));
const poolOptions = { connections: 128, keepAliveTimeout: 30_000 };
const keystone = new Pool(keystoneUrl.origin, poolOptions);
const multicloud = new Pool(multicloudUrl.origin, poolOptions);
const keystoneBase = keystoneUrl.pathname.replace(/\/+$/, '');
/** As the bare proxy: Keystone checks the (here constant) signature of a signed request. */
const EC2_CHECK_BODY = JSON.stringify({
  credentials: {
    access: BENCH_PAIR.accessKey,
    signature: '0'.repeat(64),
    host: 'bench',
    verb: 'POST',
    path: '/graphql',
    params: {},
    headers: {},
    body_hash: '',
  },
});

interface Context {
  token: string;
}

@ObjectType({ description: 'An AK/SK pair.' })
class AkSk {
  @Field() accessKey!: string;
  @Field() secretKey!: string;
  @Field(() => ID) userId!: string;
  @Field(() => ID) projectId!: string;
  @Field() type!: string;
}

@ObjectType({ description: 'A user.' })
class User {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'A project.' })
class Project {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'A role.' })
class Role {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'A token.' })
class AuthToken {
  @Field(() => String, { nullable: true }) token!: string | null;
  @Field() expiresAt!: string;
  @Field(() => User) user!: User;
  @Field(() => Project, { nullable: true }) project!: Project | null;
  @Field(() => [Role]) roles!: Role[];
}

@ArgsType()
class AkSkArgs {
  @Field(() => ID) userId!: string;
  @Field(() => ID, { nullable: true }) projectId?: string;
}

@InputType()
class CreateAkSkInput {
  @Field(() => ID) userId!: string;
  @Field(() => ID, { nullable: true }) projectId?: string;
}

@InputType()
class LoginInput {
  @Field(() => String, { nullable: true }) username?: string;
  @Field() password!: string;
  @Field({ defaultValue: 'Default' }) domain!: string;
}

interface UpstreamPair {
  user_id: string;
  project_id: string;
  type: string;
  blob: { access_key: string; secret_key: string };
}

const toAkSk = (pair: UpstreamPair): AkSk => ({
  accessKey: pair.blob.access_key,
  secretKey: pair.blob.secret_key,
  userId: pair.user_id,
  projectId: pair.project_id,
  type: pair.type,
});

async function listPairs(userId: string, projectId: string, token: string): Promise<AkSk[]> {
  const answer = await call(multicloud, 'GET', `/v1/${projectId}/aksks/${userId}`, token);
  return (JSON.parse(answer.body) as UpstreamPair[]).map(toAkSk);
}

@Resolver()
class AkSkResolver {
  @Query(() => [AkSk], { description: 'Pairs of a user.' })
  akSk(@Args() { userId, projectId }: AkSkArgs, @Ctx() context: Context): Promise<AkSk[]> {
    return listPairs(userId, projectId ?? PROJECT.id, context.token);
  }

  @Mutation(() => AkSk, { description: 'A new pair.' })
  async createAkSk(@Arg('input') input: CreateAkSkInput, @Ctx() context: Context): Promise<AkSk> {
    const projectId = input.projectId ?? PROJECT.id;
    const answer = await call(
      multicloud,
      'POST',
      `/v1/${projectId}/aksks`,
      context.token,
      JSON.stringify({ user_id: input.userId, project_id: projectId }),
    );
    const created = JSON.parse(answer.body) as { access_key: string; secret_key: string };
    return { accessKey: created.access_key, secretKey: created.secret_key, userId: input.userId, projectId, type: 'ec2' };
  }

  @Mutation(() => AuthToken, { description: 'Password login.' })
  async login(@Arg('input') input: LoginInput): Promise<AuthToken> {
    const body = JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: input.username, domain: { name: input.domain }, password: input.password } },
        },
      },
    });
    const answer = await call(keystone, 'POST', `${keystoneBase}/auth/tokens?nocatalog`, undefined, body);
    const { token } = JSON.parse(answer.body) as {
      token: { expires_at: string; user: User; project?: Project; roles?: Role[] };
    };
    return {
      token: answer.subjectToken ?? null,
      expiresAt: token.expires_at,
      user: token.user,
      project: token.project ?? null,
      roles: token.roles ?? [],
    };
  }
}

@Resolver(() => User)
class UserResolver {
  @Query(() => [User], { description: 'Every user.' })
  async users(@Ctx() context: Context): Promise<User[]> {
    const answer = await call(keystone, 'GET', `${keystoneBase}/users`, context.token);
    return (JSON.parse(answer.body) as { users: User[] }).users;
  }

  @FieldResolver(() => [AkSk], { description: "The user's pairs." })
  akSks(@Root() user: User, @Ctx() context: Context): Promise<AkSk[]> {
    return listPairs(user.id, PROJECT.id, context.token);
  }
}

async function call(pool: Dispatcher, method: 'GET' | 'POST', path: string, token: string | undefined, body?: string) {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['x-auth-token'] = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await pool.request({ method, path, headers, body });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`upstream ${method} ${path}: HTTP ${response.statusCode}`);
  const subjectToken = response.headers['x-subject-token'];
  return { body: text, subjectToken: typeof subjectToken === 'string' ? subjectToken : undefined };
}

/** A signed request costs one Keystone ec2tokens check, as in the bare proxy and the gateway. */
async function contextOf(request: IncomingMessage): Promise<Context> {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    const answer = await call(keystone, 'POST', `${keystoneBase}/ec2tokens`, undefined, EC2_CHECK_BODY);
    return { token: answer.subjectToken ?? '' };
  }
  const header = request.headers['x-auth-token'];
  return { token: (Array.isArray(header) ? header[0] : header) ?? '' };
}

async function main(): Promise<void> {
  const schema = await buildSchema({ resolvers: [AkSkResolver, UserResolver], validate: false });
  const apollo = new ApolloServer<Context>({ schema });
  await apollo.start();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: request.method ?? 'GET',
        headers,
        search: new URL(request.url ?? '/', 'http://reference').search,
        body: chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined,
      },
      context: () => contextOf(request),
    });
    response.statusCode = result.status ?? 200;
    for (const [name, value] of result.headers) response.setHeader(name, value);
    if (result.body.kind === 'complete') {
      response.end(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const ready: ChildReady = { type: 'ready', urls: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` } };
    process.send?.(ready);
  });
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

process.on('disconnect', () => process.exit(0));
main().catch((error: unknown) => {
  process.stderr.write(`apollo reference failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
