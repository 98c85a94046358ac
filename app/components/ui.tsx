import {
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { CloseIcon } from "./icons";

/** Joins class names, skipping falsy ones. */
export function cx(...classes: (string | false | null | undefined)[]) {
  return classes.filter(Boolean).join(" ");
}

export const focusRing =
  "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";

type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

const buttonVariants: Record<ButtonVariant, string> = {
  primary: "bg-indigo-600 text-white shadow-xs hover:bg-indigo-500 disabled:bg-indigo-400",
  secondary:
    "bg-white text-slate-800 shadow-xs ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-500",
  danger:
    "bg-white text-red-700 shadow-xs ring-1 ring-inset ring-red-200 hover:bg-red-50 disabled:text-red-400",
  ghost: "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
};

const buttonSizes = {
  sm: "h-8 px-2.5 text-xs",
  md: "h-9 px-3.5 text-sm",
} as const;

export function buttonClass(
  variant: ButtonVariant = "primary",
  size: keyof typeof buttonSizes = "md",
) {
  return cx(
    "inline-flex shrink-0 items-center justify-center gap-1.5 rounded-md font-medium transition-colors disabled:cursor-not-allowed",
    focusRing,
    buttonVariants[variant],
    buttonSizes[size],
  );
}

export function Button({
  variant = "primary",
  size = "md",
  pending = false,
  className,
  children,
  type = "submit",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: keyof typeof buttonSizes;
  /** Shows a spinner and marks the button busy while its form is submitting. */
  pending?: boolean;
}) {
  return (
    <button
      type={type}
      aria-busy={pending || undefined}
      className={cx(buttonClass(variant, size), className)}
      {...props}
    >
      {pending ? <Spinner /> : null}
      {children}
    </button>
  );
}

function Spinner() {
  return (
    <svg className="size-3.5 animate-spin" viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <circle cx="12" cy="12" r="9" stroke="currentColor" strokeOpacity="0.25" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
}

const controlBase =
  "block w-full rounded-md border-0 bg-white px-3 text-sm text-slate-900 shadow-xs ring-1 ring-inset placeholder:text-slate-500 focus:outline-none focus:ring-2 focus:ring-inset read-only:bg-slate-50 disabled:bg-slate-50 disabled:text-slate-500";

type ControlSize = "sm" | "md";

const controlHeights: Record<ControlSize | "auto", string> = {
  sm: "h-8 text-xs",
  md: "h-9",
  auto: "py-2",
};

export function controlClass(invalid: boolean, size: ControlSize | "auto" = "md") {
  return cx(
    controlBase,
    controlHeights[size],
    invalid ? "ring-red-500 focus:ring-red-600" : "ring-slate-300 focus:ring-indigo-600",
  );
}

interface FieldProps {
  label: string;
  /** Error messages for this field (from the action). */
  errors?: string[] | undefined;
  hint?: ReactNode;
  /** Hides the label visually (it stays for screen readers). */
  hideLabel?: boolean;
  className?: string;
}

function FieldShell({
  id,
  label,
  errors,
  hint,
  hideLabel,
  className,
  children,
}: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={className}>
      <label
        htmlFor={id}
        className={hideLabel ? "sr-only" : "mb-1.5 block text-sm font-medium text-slate-800"}
      >
        {label}
      </label>
      {children}
      {hint && !errors?.length ? (
        <p id={`${id}-hint`} className="mt-1.5 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1.5 text-xs font-medium text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

function describedBy(id: string, errors: string[] | undefined, hint: ReactNode) {
  if (errors?.length) return `${id}-error`;
  return hint ? `${id}-hint` : undefined;
}

export function TextField({
  label,
  errors,
  hint,
  hideLabel,
  className,
  id: givenId,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement> & { name: string }) {
  const generated = useId();
  const id = givenId ?? generated;
  const invalid = Boolean(errors?.length);
  return (
    <FieldShell {...{ id, label, errors, hint, hideLabel, className }}>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={controlClass(invalid)}
        {...input}
      />
    </FieldShell>
  );
}

export function SelectField({
  label,
  errors,
  hint,
  hideLabel,
  className,
  options,
  size,
  id: givenId,
  ...select
}: FieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "size"> & {
    name: string;
    options: readonly { value: string; label: string }[];
    size?: ControlSize;
  }) {
  const generated = useId();
  const id = givenId ?? generated;
  const invalid = Boolean(errors?.length);
  return (
    <FieldShell {...{ id, label, errors, hint, hideLabel, className }}>
      <select
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={cx(controlClass(invalid, size), "pr-8")}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

type AlertTone = "error" | "success" | "info";

const alertTones: Record<AlertTone, string> = {
  error: "bg-red-50 text-red-800 ring-red-200",
  success: "bg-emerald-50 text-emerald-900 ring-emerald-200",
  info: "bg-slate-50 text-slate-800 ring-slate-200",
};

/**
 * A message above a form. Errors are announced (role=alert) and, after a submission, take
 * focus so keyboard and screen-reader users land on them.
 */
export function Alert({
  tone = "error",
  title,
  children,
  focusOnMount = tone === "error",
}: {
  tone?: AlertTone;
  title?: string;
  children?: ReactNode;
  focusOnMount?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role={tone === "error" ? "alert" : "status"}
      className={cx(
        "rounded-md px-3.5 py-3 text-sm ring-1 ring-inset outline-none",
        alertTones[tone],
      )}
    >
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}

const badgeTones = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  accent: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  warning: "bg-amber-50 text-amber-800 ring-amber-200",
  danger: "bg-red-50 text-red-700 ring-red-200",
} as const;

export function Badge({
  tone = "neutral",
  children,
}: {
  tone?: keyof typeof badgeTones;
  children: ReactNode;
}) {
  return (
    <span
      className={cx(
        "inline-flex items-center rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset",
        badgeTones[tone],
      )}
    >
      {children}
    </span>
  );
}

/** A titled block of a settings page. */
export function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg bg-white ring-1 ring-slate-200">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
        <div>
          <h2 id={`${id}-title`} className="text-base font-semibold text-slate-900">
            {title}
          </h2>
          {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
        </div>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Avatar({ name, size = "md" }: { name: string; size?: "sm" | "md" }) {
  const initials =
    name
      .split(/\s+/)
      .filter(Boolean)
      .slice(0, 2)
      .map((part) => part[0]?.toUpperCase())
      .join("") || "?";
  return (
    <span
      aria-hidden="true"
      className={cx(
        "inline-flex shrink-0 items-center justify-center rounded-full bg-slate-200 font-semibold text-slate-700",
        size === "sm" ? "size-6 text-[10px]" : "size-8 text-xs",
      )}
    >
      {initials}
    </span>
  );
}

/** The product mark: a patch cable between two jacks of a switchboard. */
export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={cx("size-7", className)} aria-hidden="true">
      <rect width="32" height="32" rx="8" className="fill-indigo-600" />
      <path
        d="M10.5 10.5h2c4 0 3 11 7 11h2"
        fill="none"
        stroke="white"
        strokeWidth="2.4"
        strokeLinecap="round"
      />
      <circle cx="9" cy="10.5" r="2.2" fill="white" />
      <circle cx="23" cy="21.5" r="2.2" fill="white" />
    </svg>
  );
}

export function TextAreaField({
  label,
  errors,
  hint,
  hideLabel,
  className,
  id: givenId,
  rows = 3,
  ...textarea
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string }) {
  const generated = useId();
  const id = givenId ?? generated;
  const invalid = Boolean(errors?.length);
  return (
    <FieldShell {...{ id, label, errors, hint, hideLabel, className }}>
      <textarea
        id={id}
        rows={rows}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={controlClass(invalid, "auto")}
        {...textarea}
      />
    </FieldShell>
  );
}

/** A checkbox with its label on the right (errors and hint below). */
export function CheckboxField({
  label,
  errors,
  hint,
  className,
  id: givenId,
  ...input
}: Omit<FieldProps, "hideLabel"> & InputHTMLAttributes<HTMLInputElement> & { name: string }) {
  const generated = useId();
  const id = givenId ?? generated;
  const invalid = Boolean(errors?.length);
  return (
    <div className={className}>
      <div className="flex items-center gap-2">
        <input
          id={id}
          type="checkbox"
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy(id, errors, hint)}
          className={cx("size-4 rounded border-slate-300 accent-indigo-600", focusRing)}
          {...input}
        />
        <label htmlFor={id} className="text-sm text-slate-800">
          {label}
        </label>
      </div>
      {hint && !errors?.length ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * Keeps keyboard focus inside `ref` while mounted (Tab and Shift-Tab wrap around), moves focus
 * into it (unless an autoFocus field inside has it: else the `data-autofocus` element, else the
 * first focusable one), calls `onEscape` on Escape, and gives focus back to where it was when
 * unmounted.
 */
export function useFocusTrap(ref: RefObject<HTMLElement | null>, onEscape: () => void) {
  const onEscapeRef = useRef(onEscape);
  onEscapeRef.current = onEscape;
  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    const previous = document.activeElement as HTMLElement | null;
    const focusables = () =>
      [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (element) => element.offsetParent !== null || element === document.activeElement,
      );
    // An `autoFocus` field inside has already taken focus (React focuses it before effects).
    if (!container.contains(document.activeElement)) {
      const initial =
        container.querySelector<HTMLElement>("[data-autofocus]") ?? focusables()[0] ?? container;
      initial.focus();
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        onEscapeRef.current();
        return;
      }
      if (event.key !== "Tab") return;
      const items = focusables();
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    };
    container.addEventListener("keydown", onKeyDown);
    return () => {
      container.removeEventListener("keydown", onKeyDown);
      if (previous?.isConnected) previous.focus();
    };
  }, [ref]);
}

/**
 * A modal dialog over the page. It is rendered by the server too (open when the URL says so),
 * so it works without JavaScript: `closeHref` is a plain link back. Once hydrated it traps
 * focus and closes on Escape or a click on the backdrop (`onClose`).
 */
export function Modal({
  title,
  description,
  onClose,
  closeHref,
  size = "md",
  children,
}: {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  closeHref: string;
  size?: "md" | "lg";
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useFocusTrap(ref, onClose);
  return (
    <div className="fixed inset-0 z-40 flex items-start justify-center overflow-y-auto p-4 sm:pt-[10vh]">
      <div aria-hidden="true" className="fixed inset-0 bg-slate-900/40" onClick={onClose} />
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={cx(
          "relative w-full rounded-lg bg-white shadow-xl ring-1 ring-slate-200 outline-none",
          size === "lg" ? "max-w-2xl" : "max-w-lg",
        )}
      >
        <header className="flex items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
          <div>
            <h2 id={titleId} className="text-base font-semibold text-slate-900">
              {title}
            </h2>
            {description ? <p className="mt-1 text-sm text-slate-600">{description}</p> : null}
          </div>
          <a
            href={closeHref}
            onClick={(event) => {
              event.preventDefault();
              onClose();
            }}
            className={cx(
              "-m-1 rounded-md p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800",
              focusRing,
            )}
          >
            <span className="sr-only">Close</span>
            <CloseIcon className="size-5" />
          </a>
        </header>
        {children}
      </div>
    </div>
  );
}

/** Keyboard shortcut text, e.g. <Kbd>Ctrl K</Kbd>. */
export function Kbd({ children }: { children: ReactNode }) {
  return (
    <kbd className="rounded border border-slate-300 bg-white px-1.5 py-0.5 font-sans text-[11px] font-medium text-slate-600">
      {children}
    </kbd>
  );
}

/** False on the server and in the first render in the browser; true once the page runs. */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
