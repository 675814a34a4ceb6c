import { describeWithService } from './real-service';

/** The private Redis started by `scripts/redis.sh up`, at REDIS_TEST_URL. */
export function describeWithRedis(name: string, body: (redisUrl: string) => void): void {
  describeWithService('REDIS_TEST_URL', name, body);
}
