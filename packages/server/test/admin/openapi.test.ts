// The OpenAPI 3 document at /api/v1/openapi.json is valid and lists every route registered under /api/v1
// (collected with an onRoute hook), so it cannot fall behind the code; every operation documents Okta's
// error body and, but for the document itself, the API token requirement.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import Fastify from 'fastify';
import { cookieNames } from '../../src/accounts/sessions.ts';
import { ADMIN_API_PREFIX, registerAdminApi } from '../../src/admin/plugin.ts';
import { ServerDirectory } from '../../src/http/server-directory.ts';
import { ClientKeySets } from '../../src/oauth/client-key-sets.ts';
import { Readiness } from '../../src/services/readiness.ts';
import { startTestServer, type TestServer } from '../fixtures/test-server.ts';

type Document = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { operationId?: string; security?: unknown[]; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown> };
};

describe('admin API OpenAPI document', () => {
  let server: TestServer;
  let served: Document;
  let registered: string[];
  let documented: string[];

  before(async () => {
    server = await startTestServer();
    served = (await (await fetch(`${server.baseUrl}${ADMIN_API_PREFIX}/openapi.json`)).json()) as Document;
    // The same plugin on a bare Fastify, to see every route it registers.
    const app = Fastify();
    const routes = new Set<string>();
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD' && route.url.startsWith(ADMIN_API_PREFIX)) routes.add(`${method} ${route.url}`);
      }
    });
    registerAdminApi(app, {
      deps: server.deps,
      metrics: server.metrics,
      servers: new ServerDirectory(server.deps),
      cookies: cookieNames(true),
      clientKeys: new ClientKeySets(),
      readiness: new Readiness(),
    });
    await app.ready();
    const fromBare = (await app.inject({ url: `${ADMIN_API_PREFIX}/openapi.json` })).json() as Document;
    await app.close();
    assert.deepEqual(fromBare.paths, served.paths, 'the app serves the document the plugin builds');
    registered = [...routes].sort();
    documented = Object.entries(served.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map(
          (method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      )
      .sort();
  });
  after(async () => server.close());

  it('is a valid OpenAPI 3 document', async () => {
    assert.match(served.openapi, /^3\./);
    await SwaggerParser.validate(structuredClone(served) as never);
  });

  it('lists exactly the routes registered under /api/v1', () => {
    assert.ok(registered.length >= 30, `${registered.length} routes registered`);
    assert.deepEqual(documented, registered);
  });

  it('lists the routes of issue 5', () => {
    for (const route of [
      'GET /api/v1/apps',
      'POST /api/v1/apps',
      'GET /api/v1/apps/:appId',
      'PUT /api/v1/apps/:appId',
      'DELETE /api/v1/apps/:appId',
      'POST /api/v1/apps/:appId/lifecycle/activate',
      'POST /api/v1/apps/:appId/lifecycle/deactivate',
      'POST /api/v1/apps/:appId/lifecycle/newSecret',
      'GET /api/v1/users',
      'POST /api/v1/users',
      'GET /api/v1/users/:userId',
      'POST /api/v1/users/:userId',
      'DELETE /api/v1/users/:userId',
      'POST /api/v1/users/:userId/lifecycle/activate',
      'POST /api/v1/users/:userId/lifecycle/deactivate',
      'POST /api/v1/users/:userId/lifecycle/unlock',
      'GET /api/v1/authorizationServers',
      'POST /api/v1/authorizationServers',
      'GET /api/v1/authorizationServers/:authServerId',
      'PUT /api/v1/authorizationServers/:authServerId',
      'GET /api/v1/authorizationServers/:authServerId/scopes',
      'GET /api/v1/authorizationServers/:authServerId/claims',
      'GET /api/v1/authorizationServers/:authServerId/credentials/keys',
      'POST /api/v1/authorizationServers/:authServerId/credentials/lifecycle/keyRotate',
      'GET /api/v1/logs',
      'GET /api/v1/openapi.json',
    ]) {
      assert.ok(documented.includes(route), route);
    }
  });

  it('gives every operation a unique id, Okta error responses and the token requirement', () => {
    const ids = new Set<string>();
    for (const [path, operations] of Object.entries(served.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const name = `${method} ${path}`;
        assert.ok(operation.operationId && !ids.has(operation.operationId), `${name}: a unique operationId`);
        ids.add(operation.operationId);
        assert.deepEqual(operation.responses['4XX'], operation.responses['5XX'], name);
        assert.match(JSON.stringify(operation.responses['4XX']), /#\/components\/schemas\/Error/, name);
        const open = path.endsWith('/openapi.json');
        assert.deepEqual(
          operation.security,
          open ? [] : undefined,
          `${name}: ${open ? 'public' : 'global security applies'}`,
        );
      }
    }
    for (const schema of [
      'Application',
      'User',
      'AuthorizationServer',
      'OAuth2Scope',
      'OAuth2Claim',
      'JsonWebKey',
      'LogEvent',
      'ApiToken',
      'Error',
    ]) {
      assert.ok(served.components.schemas[schema], `components.schemas.${schema}`);
    }
  });
});
