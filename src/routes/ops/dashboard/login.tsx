import { OPS_BASE } from "../auth";
import { Layout } from "./layout";

/** The login form: the operator pastes the ops token once; the cookie then names a server-side session. */
export function LoginPage(props: { next: string; failed: boolean }) {
  return (
    <Layout title="Sign in" section="login" notice={props.failed ? { text: "That token is not valid.", error: true } : null}>
      <form class="row" method="post" action={`${OPS_BASE}/login`}>
        <input type="hidden" name="next" value={props.next} />
        <label>
          Ops token
          <input type="password" name="token" required autocomplete="current-password" size={32} autofocus />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </Layout>
  );
}
