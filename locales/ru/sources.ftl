# Сообщения администратору от источников (ВКонтакте, Telegram-канал).
sources-publish-failed = ⚠️ Ответ по делу № { $case } не опубликован: { $reason }.
    Дело ожидает публикации. Опубликуйте ответ вручную: { $link } — и нажмите «Опубликовал вручную».
    Текст ответа:
    { $text }
sources-photos-not-uploaded = ⚠️ Ответ по делу № { $case } опубликован без фотографий ({ $count }): для загрузки фото в комментарии нужен токен администратора VK (VK_USER_TOKEN). Добавьте фото вручную: { $link }
sources-missed = ⚠️ ВКонтакте: { $why }. Сообщения за период { $from } — { $to } могли быть пропущены. Проверьте стену и комментарии сообщества вручную: { $link }
    (Автоматическая проверка пропущенного требует токена администратора VK — VK_USER_TOKEN.)
sources-missed-why-history = история событий Long Poll утрачена
sources-missed-why-downtime = сервис не работал
sources-catchup-done = ВКонтакте: после перерыва проверены последние записи и комментарии ({ $posts } записей), найдено новых сообщений: { $found }.
sources-no-user-token = Действие недоступно: для него нужен токен администратора VK (VK_USER_TOKEN).
sources-moderation-failed = ⚠️ Модерация ВКонтакте ({ $action }) не выполнена: { $reason }
sources-message-edited = ✏️ Автор изменил сообщение по делу № { $case }. Теперь оно звучит так:
    { $text }
    Было:
    { $original }
    { $link }
sources-message-deleted = 🗑 Автор удалил сообщение по делу № { $case }. Текст сохранён в деле:
    { $original }
sources-message-restored = ♻️ Сообщение по делу № { $case } восстановлено:
    { $text }
sources-manual-reply-linked = ✅ По делу № { $case } сообщество ответило во ВКонтакте вручную: { $link }
sources-follow-up = 💬 Автор дополнил обращение по делу № { $case }:
    { $text }
sources-repeat-offer = 🔁 Новое дело № { $case }: { $author } уже обращался(ась) раньше — { $earlier } (закрыто). Возможно, это повторное обращение; проверьте и при необходимости отметьте дело как повторное.
    { $link }
# «Опубликовал вручную» (issue 6 §8): the answer was published by hand, the case is marked.
sources-manual-btn = ✅ Опубликовал вручную
sources-manual-btn-no-link = Без ссылки
sources-manual-ask-link = Пришлите ссылку на комментарий (сообщение), опубликованный вручную по делу № { $case }, — или нажмите «Без ссылки».
sources-manual-not-a-link = Это не похоже на ссылку. Пришлите ссылку вида https://vk.com/wall-1_2?reply=3 — или нажмите «Без ссылки». Отменить: /cancel
sources-manual-done = ✅ Дело № { $case }: публикация отмечена, ответ размещён вручную: { $link }
sources-manual-done-no-link = ✅ Дело № { $case }: публикация отмечена (ответ размещён вручную, без ссылки).
sources-manual-in-flight = Ответ по этому делу ещё публикуется. Дождитесь результата.
