import type { ReactNode } from 'react';

/** What an empty list says: what is missing and what to do next. */
export function EmptyState(props: { title: string; children?: ReactNode; testId: string }) {
  return (
    <div className="empty" data-testid={props.testId}>
      <p className="empty-title">{props.title}</p>
      {props.children !== undefined && <div className="empty-body">{props.children}</div>}
    </div>
  );
}

/** A refusal shown in place of a page the role may not open. */
export function NotAllowed({ role, what }: { role: string; what: string }) {
  return (
    <EmptyState title={`Your role (${role}) may not ${what}.`} testId="not-allowed">
      Ask an administrator for a role that allows it.
    </EmptyState>
  );
}
