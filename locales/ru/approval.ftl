# Согласование и публикация ответа (К12–К14, А7.5–А7.7)
approval-title = 📝 <b>№ { $case }: проект ответа на утверждение</b> · { $kind } · автор проекта: { $by }
approval-question = Вопрос: <blockquote>{ $text }</blockquote>
approval-promised = Срок окончательного ответа: { $date }
approval-version = Редакция { $n } (после доработки).
approval-as-published = Так ответ будет опубликован:
approval-btn-approve = ✅ Утвердить
approval-btn-rework = ↩️ На доработку
approval-btn-publish = 📢 Опубликовать
approval-approved-toast = Ответ утверждён.
approval-approved-executor = Ответ по № { $case } утверждён; публикует { $role } (кнопка «Опубликовать», в течение 30 минут).
approval-approved-administrator = Ответ по № { $case } утверждён. Опубликуйте его кнопкой «Опубликовать» в карточке.
approval-approved-on_approval = Ответ по № { $case } утверждён и отправлен на публикацию.
