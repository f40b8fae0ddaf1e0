import type { VNode } from 'preact';
import { Layout, renderPage } from './layout.tsx';

/** Details shown when an authorization request's redirect_uri is not one the client registered. */
export interface RedirectUriMismatch {
  /** The redirect_uri exactly as received. Untrusted: shown as text only, never linked. */
  received: string;
  /** The client's registered redirect URIs; left out (with closest and difference) unless the viewer may see them. */
  registered?: string[] | undefined;
  /** The registered URI closest to the received one, if any is close. */
  closest?: string | undefined;
  /** The difference between `received` and `closest`, in plain words. */
  difference?: string | undefined;
  /** The client's display name. */
  appName?: string | undefined;
  /** The request parameter that carried `received`; defaults to `redirect_uri`. */
  parameter?: string | undefined;
  /** What the registered list holds, e.g. `sign-out redirect URIs`; defaults to `redirect URIs`. */
  listName?: string | undefined;
}

/** What to quote to support when the page leaves details out: the request id and the time (UTC). */
export interface SupportReference {
  requestId: string;
  /** ISO 8601 UTC, e.g. 2026-05-04T12:00:00Z. */
  time: string;
}

export interface ErrorPageProps {
  title: string;
  /** The OAuth error code, e.g. `invalid_request`. */
  error: string;
  description: string;
  redirectUri?: RedirectUriMismatch | undefined;
  /** Advice for the developer or user on how to fix the problem. */
  hint?: string | undefined;
  reference?: SupportReference | undefined;
}

function RedirectUriDetails({ mismatch }: { mismatch: RedirectUriMismatch }): VNode {
  const { received, registered, closest, difference, appName } = mismatch;
  const parameter = mismatch.parameter ?? 'redirect_uri';
  const listName = mismatch.listName ?? 'redirect URIs';
  return (
    <section class="details" aria-labelledby="redirect-uri-heading">
      <h2 class="visually-hidden" id="redirect-uri-heading">
        Redirect URI details
      </h2>
      <dl>
        <dt>{`Received ${parameter}`}</dt>
        <dd>
          <code class="uri uri-received">{received}</code>
        </dd>
        {closest !== undefined && closest !== '' ? (
          <>
            <dt>Closest registered URI</dt>
            <dd>
              <code class="uri uri-closest">{closest}</code>
            </dd>
          </>
        ) : null}
        {difference !== undefined && difference !== '' ? (
          <>
            <dt>Difference</dt>
            <dd>{difference}</dd>
          </>
        ) : null}
        {registered === undefined ? null : (
          <>
            <dt>
              {appName !== undefined && appName !== ''
                ? `Registered ${listName} for ${appName}`
                : `Registered ${listName}`}
            </dt>
            <dd>
              {registered.length === 0 ? (
                <span class="muted">{`This application has no registered ${listName}.`}</span>
              ) : (
                <ul class="uri-list">
                  {registered.map((uri) => (
                    <li key={uri}>
                      <code class="uri">{uri}</code>
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function Reference({ reference }: { reference: SupportReference }): VNode {
  return (
    <p class="reference">
      {'To get help, quote this to support: request ID '}
      <code class="request-id">{reference.requestId}</code>
      {', time '}
      <time datetime={reference.time}>{reference.time}</time>.
    </p>
  );
}

function ErrorPage(props: ErrorPageProps): VNode {
  const { title, error, description, redirectUri, hint, reference } = props;
  return (
    <Layout title={title} wide={redirectUri !== undefined}>
      <p class="eyebrow">Your request resulted in an error.</p>
      <h1>{title}</h1>
      <code class="error-code">{error}</code>
      <p class="description">{description}</p>
      {redirectUri !== undefined ? <RedirectUriDetails mismatch={redirectUri} /> : null}
      {hint !== undefined && hint !== '' ? <p class="hint">{hint}</p> : null}
      {reference !== undefined ? <Reference reference={reference} /> : null}
    </Layout>
  );
}

/**
 * The hosted error page, shown when an error cannot safely be returned to the client's redirect_uri.
 * Nothing on it navigates: the received redirect_uri is untrusted and shown as text only.
 */
export function renderErrorPage(props: ErrorPageProps): string {
  return renderPage(<ErrorPage {...props} />);
}
