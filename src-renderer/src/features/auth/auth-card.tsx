import type { ReactNode } from 'react';

/** The centred card of the setup and login screens. */
export function AuthCard(props: { title: string; subtitle: string; children: ReactNode }) {
  return (
    <main className="auth-screen">
      <section className="auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title" className="auth-title">
          {props.title}
        </h1>
        <p className="muted">{props.subtitle}</p>
        {props.children}
      </section>
    </main>
  );
}
