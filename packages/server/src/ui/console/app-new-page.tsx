import type { VNode } from 'preact';
import type { ApplicationType } from '../../storage/store.ts';
import { renderPage } from '../layout.tsx';
import { APP_TYPES, type AppFormErrors, type AppFormValues, AppSettingsFields } from './app-form.tsx';
import { CsrfField, PageHeader, Panel } from './components.tsx';
import { Icon } from './icons.tsx';
import { type ConsoleFrame, ConsoleLayout } from './layout.tsx';

const BREADCRUMB = [{ href: '/console/apps', label: 'Applications' }];

function Steps({ step }: { step: 1 | 2 }): VNode {
  return (
    <ol class="steps" aria-label="Progress">
      <li class={step > 1 ? 'done' : undefined} aria-current={step === 1 ? 'step' : undefined}>
        <span class="step-num">{step > 1 ? '✓' : '1'}</span> Choose a type
      </li>
      <li aria-current={step === 2 ? 'step' : undefined}>
        <span class="step-num">2</span> Settings
      </li>
      <li>
        <span class="step-num">3</span> Done
      </li>
    </ol>
  );
}

export interface AppTypePageProps {
  frame: ConsoleFrame;
  selected: ApplicationType;
}

/** Step 1: a radio card per app type; a GET form, so it works without JavaScript and can be bookmarked. */
function AppTypePage({ frame, selected }: AppTypePageProps): VNode {
  return (
    <ConsoleLayout frame={frame} section="apps" title="Add application">
      <PageHeader title="Add application" breadcrumb={BREADCRUMB} />
      <Steps step={1} />
      <form method="get" action="/console/apps/new/settings">
        <Panel
          title="What kind of app is it?"
          description="The type decides how the app proves who it is. It cannot change later."
          footer={
            <>
              <a class="button button-secondary" href="/console/apps">
                Cancel
              </a>
              <button class="button" type="submit">
                Next
                <Icon name="arrowRight" />
              </button>
            </>
          }
        >
          <fieldset class="type-cards">
            <legend class="visually-hidden">Application type</legend>
            {(Object.keys(APP_TYPES) as ApplicationType[]).map((type) => {
              const info = APP_TYPES[type];
              return (
                <label class="type-card" key={type}>
                  <input type="radio" name="type" value={type} checked={type === selected} />
                  <span class="type-card-body">
                    <span class="type-card-icon">
                      <Icon name={info.icon} />
                    </span>
                    <span class="type-card-title">{info.label}</span>
                    <span class="type-card-text">{info.text}</span>
                    <span class="type-card-meta">{info.meta}</span>
                  </span>
                </label>
              );
            })}
          </fieldset>
        </Panel>
      </form>
    </ConsoleLayout>
  );
}

export interface AppSettingsStepProps {
  frame: ConsoleFrame;
  type: ApplicationType;
  values: AppFormValues;
  errors: AppFormErrors;
}

/** Step 2: the settings; Done creates the app and opens its General tab. */
function AppSettingsStep({ frame, type, values, errors }: AppSettingsStepProps): VNode {
  const info = APP_TYPES[type];
  return (
    <ConsoleLayout frame={frame} section="apps" title={`New ${info.label} app`}>
      <PageHeader title={`New ${info.label} app`} breadcrumb={BREADCRUMB} description={info.text} />
      <Steps step={2} />
      <form method="post" action="/console/apps" novalidate>
        <CsrfField tokens={frame.formTokens} />
        <input type="hidden" name="type" value={type} />
        <Panel
          title="Settings"
          description="You can change all of these later on the app's General tab."
          footer={
            <>
              <a class="button button-secondary" href={`/console/apps/new?type=${type}`}>
                <Icon name="arrowLeft" />
                Back
              </a>
              <button class="button" type="submit">
                <Icon name="check" />
                Done
              </button>
            </>
          }
        >
          <AppSettingsFields type={type} values={values} errors={errors} />
        </Panel>
      </form>
    </ConsoleLayout>
  );
}

export function renderAppTypePage(props: AppTypePageProps): string {
  return renderPage(<AppTypePage {...props} />);
}

export function renderAppSettingsStep(props: AppSettingsStepProps): string {
  return renderPage(<AppSettingsStep {...props} />);
}
