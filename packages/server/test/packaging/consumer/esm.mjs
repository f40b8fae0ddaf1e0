// The packages from an ES module app (`import`): see flow.cjs.
import * as client from '@latchkey/client';
import * as node from '@latchkey/client/node';
import * as verifier from '@latchkey/verifier';
import * as express from '@latchkey/verifier/express';
import * as fastify from '@latchkey/verifier/fastify';
import flow from './flow.cjs';

const resolved = ['@latchkey/client', '@latchkey/client/node', '@latchkey/verifier'].map((name) =>
  import.meta.resolve(name),
);
await flow.run({ client, node, verifier, fastify, express, resolved });
