import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ActionButton } from "@/components/admin/action-button";
import { AdminForm, type FieldSpec } from "@/components/admin/admin-form";
import { optionLines } from "@/lib/editions/questions";
import type { Question } from "@/lib/generated/prisma/client";
import { localized } from "@/lib/i18n/format";
import { deleteQuestionAction, moveQuestionAction, saveQuestionAction } from "./actions";
import { editionForPage } from "../edition-for-page";
import { sectionTitle } from "../section-title";
import { currentLocale } from "@/lib/i18n/page-locale";

function questionFields(t: (key: string) => string, question?: Question): FieldSpec[] {
  return [
    { name: "labelFr", label: t("labelFr"), required: true, defaultValue: question?.labelFr },
    { name: "labelEn", label: t("labelEn"), required: true, defaultValue: question?.labelEn },
    { name: "key", label: t("key"), required: true, hint: t("keyHint"), defaultValue: question?.key },
    {
      name: "type",
      label: t("type"),
      type: "select",
      required: true,
      defaultValue: question?.type ?? "TEXT",
      options: (["TEXT", "SELECT", "CHECKBOX"] as const).map((type) => ({ value: type, label: t(`typeName.${type}`) })),
    },
    {
      name: "options",
      label: t("options"),
      type: "textarea",
      hint: t("optionsHint"),
      defaultValue: optionLines(question?.options),
    },
    { name: "required", label: t("required"), type: "checkbox", defaultValue: question?.required ? "on" : "" },
  ];
}

export const generateMetadata = (): Promise<Metadata> => sectionTitle("tabQuestions");

export default async function QuestionsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { edition } = await editionForPage(params);
  const locale = await currentLocale();
  const t = await getTranslations("questionForm");
  const hidden = { editionId: edition.id };
  return (
    <>
      <h2>{t("title")}</h2>
      <p className="muted">{t("intro")}</p>
      {edition.questions.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ol className="admin-list">
          {edition.questions.map((question, index) => {
            const ids = { ...hidden, questionId: question.id };
            return (
              <li key={question.id} className="card">
                <h3>
                  {localized(question, "label", locale)} <span className="muted">({question.key})</span>
                </h3>
                <p className="muted">
                  {t(`typeName.${question.type}`)}
                  {question.required && ` · ${t("requiredShort")}`}
                </p>
                <div className="button-row">
                  {index > 0 && (
                    <ActionButton
                      action={moveQuestionAction}
                      hidden={{ ...ids, direction: "up" }}
                      label={t("moveUp")}
                    />
                  )}
                  {index < edition.questions.length - 1 && (
                    <ActionButton
                      action={moveQuestionAction}
                      hidden={{ ...ids, direction: "down" }}
                      label={t("moveDown")}
                    />
                  )}
                </div>
                <details>
                  <summary>{t("edit", { label: localized(question, "label", locale) })}</summary>
                  <AdminForm
                    action={saveQuestionAction}
                    fields={questionFields(t, question)}
                    hidden={ids}
                    submitLabel={t("save")}
                    idPrefix={`question-${question.id}`}
                  />
                  <ActionButton
                    action={deleteQuestionAction}
                    hidden={ids}
                    label={t("delete")}
                    confirm={t("deleteConfirm")}
                    danger
                  />
                </details>
              </li>
            );
          })}
        </ol>
      )}
      <section aria-labelledby="new-question-title">
        <h2 id="new-question-title">{t("addTitle")}</h2>
        <AdminForm
          action={saveQuestionAction}
          fields={questionFields(t)}
          hidden={hidden}
          submitLabel={t("add")}
          idPrefix="new-question"
        />
      </section>
    </>
  );
}
