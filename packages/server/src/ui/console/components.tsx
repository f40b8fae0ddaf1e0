import type { ComponentChildren, VNode } from 'preact';
import { Icon, type IconName } from './icons.tsx';

// The console's building blocks. Every field has a visible label, errors are tied to their field with
// aria-describedby, and every control is reachable and visibly focused from the keyboard.

export type Tone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

/** Epoch seconds as `2025-06-15 12:03:04 UTC`: the log and the tables speak UTC only (AD-03). */
export function formatTime(epochSeconds: number | null | undefined): string {
  if (epochSeconds === null || epochSeconds === undefined) return '—';
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** A duration in seconds, in the largest unit that divides it: `60 s`, `1 h`, `7 d`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0 s';
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }): VNode {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function Notice({ tone, children }: { tone: Tone; children: ComponentChildren }): VNode {
  const icon: IconName = tone === 'success' ? 'success' : tone === 'info' ? 'info' : 'alert';
  return (
    <div class={`notice notice-${tone}`} role={tone === 'danger' ? 'alert' : 'status'}>
      <Icon name={icon} />
      <div>{children}</div>
    </div>
  );
}

export interface Crumb {
  href: string;
  label: string;
}

export function PageHeader(props: {
  title: ComponentChildren;
  description?: ComponentChildren;
  breadcrumb?: Crumb[];
  actions?: ComponentChildren;
}): VNode {
  return (
    <>
      {props.breadcrumb !== undefined ? (
        <nav aria-label="Breadcrumb">
          <ol class="breadcrumb">
            {props.breadcrumb.map((crumb) => (
              <li key={crumb.href}>
                <a href={crumb.href}>{crumb.label}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div class="page-header">
        <div>
          <h1>{props.title}</h1>
          {props.description !== undefined ? <p>{props.description}</p> : null}
        </div>
        {props.actions !== undefined ? <div class="page-actions">{props.actions}</div> : null}
      </div>
    </>
  );
}

export function Panel(props: {
  title?: string;
  description?: ComponentChildren;
  children: ComponentChildren;
  footer?: ComponentChildren;
  danger?: boolean;
  flush?: boolean;
  narrow?: boolean;
  id?: string;
}): VNode {
  const headingId = props.id === undefined ? undefined : `${props.id}-heading`;
  return (
    <section
      class={[
        'panel',
        props.danger === true ? 'panel-danger' : '',
        props.narrow === true ? 'panel-narrow' : '',
      ]
        .filter((name) => name !== '')
        .join(' ')}
      id={props.id}
      aria-labelledby={headingId}
    >
      {props.title !== undefined ? (
        <div class={props.flush === true ? 'panel-header panel-header-flush' : 'panel-header'}>
          <h2 id={headingId}>{props.title}</h2>
          {props.description !== undefined ? <p>{props.description}</p> : null}
        </div>
      ) : null}
      {props.flush === true ? props.children : <div class="panel-body">{props.children}</div>}
      {props.footer !== undefined ? <div class="panel-footer">{props.footer}</div> : null}
    </section>
  );
}

/** The tokens every console form carries: the CSRF token and the one-time form token (issue 12). */
export interface FormTokens {
  csrf: string;
  once: string;
}

export function CsrfField({ tokens }: { tokens: FormTokens }): VNode {
  return (
    <>
      <input type="hidden" name="_csrf" value={tokens.csrf} />
      <input type="hidden" name="_form" value={tokens.once} />
    </>
  );
}

/** One or more problems with a field, shown under it; `id` is what the field's aria-describedby names. */
export function FieldError({
  id,
  errors,
}: {
  id: string;
  errors: readonly string[] | undefined;
}): VNode | null {
  if (errors === undefined || errors.length === 0) return null;
  return (
    <div id={id}>
      {errors.map((error) => (
        <p class="field-error" key={error}>
          <Icon name="alert" />
          <span>{error}</span>
        </p>
      ))}
    </div>
  );
}

interface ControlProps {
  id: string;
  name: string;
  label: string;
  hint?: ComponentChildren;
  errors?: readonly string[] | undefined;
  required?: boolean;
  /** The surrounding FormRow shows a hint with id `${id}-hint`, which the control then names. */
  hasHint?: boolean;
}

function described(props: ControlProps): { invalid: 'true' | undefined; describedBy: string | undefined } {
  const invalid = props.errors !== undefined && props.errors.length > 0;
  const ids = [
    invalid ? `${props.id}-error` : '',
    props.hint !== undefined || props.hasHint === true ? `${props.id}-hint` : '',
  ]
    .filter((id) => id !== '')
    .join(' ');
  return { invalid: invalid ? 'true' : undefined, describedBy: ids === '' ? undefined : ids };
}

/** A labelled row: label and hint on the left, the control and its errors on the right (stacked on phones). */
export function FormRow(props: ControlProps & { children: ComponentChildren; labelFor?: boolean }): VNode {
  return (
    <div class="form-row field">
      <div class="label-col">
        {props.labelFor === false ? (
          <span class="label" id={`${props.id}-label`}>
            {props.label}
          </span>
        ) : (
          <label for={props.id}>{props.label}</label>
        )}
        {props.hint !== undefined ? (
          <p class="hint" id={`${props.id}-hint`}>
            {props.hint}
          </p>
        ) : null}
      </div>
      <div>
        {props.children}
        <FieldError id={`${props.id}-error`} errors={props.errors} />
      </div>
    </div>
  );
}

export function TextInput(
  props: ControlProps & {
    value?: string | number | undefined;
    type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'datetime-local';
    autocomplete?: string;
    placeholder?: string;
    narrow?: boolean;
    min?: number;
    max?: number;
    autofocus?: boolean;
  },
): VNode {
  const { invalid, describedBy } = described(props);
  return (
    <input
      id={props.id}
      name={props.name}
      type={props.type ?? 'text'}
      value={props.value}
      required={props.required}
      autocomplete={props.autocomplete}
      placeholder={props.placeholder}
      class={props.narrow === true ? 'input-narrow' : undefined}
      min={props.min}
      max={props.max}
      autofocus={props.autofocus}
      spellcheck={props.type === 'email' || props.type === 'password' ? false : undefined}
      aria-invalid={invalid}
      aria-describedby={describedBy}
    />
  );
}

export function TextArea(
  props: ControlProps & { value: string; rows?: number; placeholder?: string },
): VNode {
  const { invalid, describedBy } = described(props);
  return (
    <textarea
      id={props.id}
      name={props.name}
      rows={props.rows ?? 3}
      required={props.required}
      placeholder={props.placeholder}
      spellcheck={false}
      autocapitalize="none"
      aria-invalid={invalid}
      aria-describedby={describedBy}
    >
      {props.value}
    </textarea>
  );
}

export function Select(
  props: ControlProps & { value: string; options: ReadonlyArray<{ value: string; label: string }> },
): VNode {
  const { invalid, describedBy } = described(props);
  return (
    <select id={props.id} name={props.name} aria-invalid={invalid} aria-describedby={describedBy}>
      {props.options.map((option) => (
        <option key={option.value} value={option.value} selected={option.value === props.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

/** A labelled text field stacked in a card (sign-in, setup, dialogs). */
export function StackedField(props: ControlProps & Parameters<typeof TextInput>[0]): VNode {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <TextInput {...props} />
      {props.hint !== undefined ? (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={`${props.id}-error`} errors={props.errors} />
    </div>
  );
}

/**
 * A read-only value with a Copy button. Without JavaScript the button stays hidden and the field still
 * lets the value be selected and copied by hand; the console script reveals and wires the button.
 */
export function CopyField({ id, label, value }: { id: string; label: string; value: string }): VNode {
  return (
    <div class="copy-field">
      <input id={id} type="text" value={value} readonly aria-label={label} spellcheck={false} />
      <button class="button button-secondary copy-button" type="button" data-copy={id} hidden>
        <Icon name="copy" />
        <span class="copy-label">Copy</span>
      </button>
    </div>
  );
}

export function EmptyState(props: {
  icon: IconName;
  title: string;
  children: ComponentChildren;
  action?: ComponentChildren;
}): VNode {
  return (
    <div class="empty">
      <span class="empty-icon">
        <Icon name={props.icon} />
      </span>
      <h2>{props.title}</h2>
      <p>{props.children}</p>
      {props.action}
    </div>
  );
}

export function Tabs({
  tabs,
}: {
  tabs: ReadonlyArray<{ href: string; label: string; current: boolean }>;
}): VNode {
  return (
    <nav class="tabs" aria-label="Sections">
      {tabs.map((tab) => (
        <a key={tab.href} href={tab.href} aria-current={tab.current ? 'page' : undefined}>
          {tab.label}
        </a>
      ))}
    </nav>
  );
}

/** A POST button in its own small form (with the CSRF token): deactivate, unlock, sign out everywhere. */
export function ActionButton(props: {
  action: string;
  formTokens: FormTokens;
  label: string;
  variant?: 'secondary' | 'danger' | 'primary';
  icon?: IconName;
  small?: boolean;
}): VNode {
  const variant = props.variant ?? 'secondary';
  const classes = [
    'button',
    variant === 'primary' ? '' : `button-${variant}`,
    props.small === true ? 'button-small' : '',
  ]
    .filter((c) => c !== '')
    .join(' ');
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField tokens={props.formTokens} />
      <button class={classes} type="submit">
        {props.icon !== undefined ? <Icon name={props.icon} /> : null}
        {props.label}
      </button>
    </form>
  );
}
