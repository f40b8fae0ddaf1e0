// The packages from a CommonJS app (`require()`): see flow.cjs.
const client = require('@latchkey/client');
const node = require('@latchkey/client/node');
const verifier = require('@latchkey/verifier');
const express = require('@latchkey/verifier/express');
const fastify = require('@latchkey/verifier/fastify');
const flow = require('./flow.cjs');

const resolved = ['@latchkey/client', '@latchkey/client/node', '@latchkey/verifier'].map((name) =>
  require.resolve(name),
);
flow.run({ client, node, verifier, fastify, express, resolved }).catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
