// A real Node.js client of `errordeck-cli serve`: @sentry/node as an app runs it.
//
//     node node_client.js DSN
//
// Inits @sentry/node (tests/integration/node/package.json pins it; `npm ci`
// here installs it) with the DSN serve printed, catches a chained error
// (new Error('outer', {cause: inner})) and captures it, captures a warning
// message, then flushes. The events carry this app's secrets (a password
// extra, an Authorization header and a session cookie in the request) that
// ErrorDeck's scrubbing must keep out of the database. Prints "flushed" once
// the SDK says everything was sent; exits 1 if it could not be.
'use strict';

const Sentry = require('@sentry/node');

const DSN = process.argv[2];
if (!DSN) {
  console.error('usage: node node_client.js DSN');
  process.exit(2);
}

// The secrets of this app: none may reach ErrorDeck's database.
const PASSWORD = 'hunter2-node-pw-4e5f';
const AUTH_HEADER = 'Bearer tok-node-6a7b8c9d';
const SESSION_COOKIE = 'sess-node-11cc22dd';

Sentry.init({
  dsn: DSN,
  release: 'shop-node@1.2.3',
  environment: 'test',
  tracesSampleRate: 0, // errors only: no transactions to wait for
  // As an Express app would have it: the request that failed, with its headers.
  beforeSend(event) {
    event.request = {
      method: 'POST',
      url: 'http://shop.example.com/api/orders/42?ref=mail',
      headers: { Authorization: AUTH_HEADER, Cookie: `sessionid=${SESSION_COOKIE}`, 'User-Agent': 'node-proof/1.0' },
      cookies: { sessionid: SESSION_COOKIE },
    };
    return event;
  },
});
Sentry.setExtra('password', PASSWORD);
Sentry.setTag('shop', 'node');

function parseOrder(raw) {
  const n = Number.parseInt(raw, 10);
  if (Number.isNaN(n)) throw new TypeError(`not an order number: ${raw}`);
  return n;
}

function loadOrder(raw) {
  try {
    return parseOrder(raw);
  } catch (inner) {
    throw new Error('outer', { cause: inner });
  }
}

async function main() {
  try {
    loadOrder('x42');
  } catch (e) {
    Sentry.captureException(e);
  }
  Sentry.captureMessage('stock low for order 42', 'warning');
  if (!(await Sentry.flush(20000))) {
    console.error('@sentry/node could not send everything within 20 s');
    process.exit(1);
  }
  console.log('flushed');
}

main();
