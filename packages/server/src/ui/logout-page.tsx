import type { VNode } from 'preact';
import { Layout, renderPage } from './layout.tsx';

export interface LogoutPageProps {
  /** Where the form posts (the logout confirmation endpoint). */
  action: string;
  csrfToken: string;
  /** Display name of the app that asked for the sign-out, when it is known. */
  appName?: string | undefined;
  /** The validated request, carried to the POST and validated there again. */
  clientId?: string | undefined;
  postLogoutRedirectUri?: string | undefined;
  state?: string | undefined;
}

function LogoutPage(props: LogoutPageProps): VNode {
  const hidden: [string, string | undefined][] = [
    ['client_id', props.clientId],
    ['post_logout_redirect_uri', props.postLogoutRedirectUri],
    ['state', props.state],
  ];
  return (
    <Layout title="Sign out">
      <h1>Sign out?</h1>
      <p class="subtitle">
        {props.appName !== undefined && props.appName !== '' ? (
          <>
            <strong>{props.appName}</strong> asks to end your Latchkey session.
          </>
        ) : (
          'A website asks to end your Latchkey session.'
        )}
      </p>
      <p class="message">You will have to sign in again to use apps that rely on this session.</p>
      <form method="post" action={props.action} class="actions">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {hidden.map(([name, value]) =>
          value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
        )}
        <button class="button" type="submit" name="decision" value="sign-out">
          Sign out
        </button>
        <button class="button button-secondary" type="submit" name="decision" value="stay">
          Stay signed in
        </button>
      </form>
    </Layout>
  );
}

/**
 * Asks the user to confirm an RP-initiated sign-out that came without a valid `id_token_hint`
 * (RP-Initiated Logout §6, LO-04). A plain POST form: works without JavaScript.
 */
export function renderLogoutPage(props: LogoutPageProps): string {
  return renderPage(<LogoutPage {...props} />);
}
