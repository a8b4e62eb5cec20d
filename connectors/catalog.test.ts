import { catalog } from './catalog';
import type { Connector } from './framework/connector';
import { rateLimitedGroups } from './rate-limited-groups';

it('lists exactly the groups whose application declares a rate limit (workflows route by it)', () => {
  const declared = Object.entries(catalog as Record<string, Record<string, Connector>>)
    .filter(([, connectors]) => Object.values(connectors).some((c) => c.application.rateLimit))
    .map(([group]) => group);
  expect([...rateLimitedGroups].sort()).toEqual(declared.sort());
});

it('keeps each group to one application', () => {
  for (const connectors of Object.values(catalog as Record<string, Record<string, Connector>>)) {
    expect(new Set(Object.values(connectors).map((c) => c.application.name)).size).toBe(1);
  }
});
