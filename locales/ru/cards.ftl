# Карточка обращения: редактируется на месте по мере движения дела.
card-title = 📨 <b>Обращение № { $number }</b> · { $network }, { $source }
card-status = Статус: <b>{ $status }</b>
card-urgent-mark = 🚨 срочно
card-author = Автор: { $author }
card-original = Оригинал: { $link }
card-detected = Выявлено: { $at }
card-triage = Важность: { $importance } · Тема: { $topic } · Локация: { $location }
card-repeat-of = 🔁 Повторное сообщение по обращению № { $number }
card-rejected = Отклонено: { $reason } ({ $clause })
card-not-competent = Не относится к компетенции администрации; ответственный орган: { $body }
card-comment = Комментарий: { $text }
card-holders = У кого:
card-holder = { $order }. { $department } — { $who } ({ $role }, { $status })
card-holder-no-executor = исполнителя назначает { $head }
card-holder-admin = У кого: { $role } (распределение)
card-assignment-role-responsible = ответственный
card-assignment-role-co_executor = соисполнитель
card-assignment-status-assigned = ждёт принятия
card-assignment-status-accepted = в работе
card-assignment-status-returned = возвращено
card-assignment-status-part_submitted = информация представлена
card-assignment-status-withdrawn = снято
card-deadlines = Сроки:
card-deadline = • { $kind } — до { $due } · { $who } ({ $clause })
card-deadline-overdue = • ⏰ { $kind } — просрочено, срок был до { $due } · { $who } ({ $clause })
card-deadline-paused = • ⏸ { $kind } — приостановлен (ждём автора), был до { $due } · { $who } ({ $clause })
card-published = ✅ Ответ опубликован { $at }: { $link }
card-attachment = { $type } { $n }
card-attachment-photo = фото
card-attachment-video = видео
card-attachment-doc = документ
card-attachment-link = ссылка
card-attachment-audio = аудио
card-attachment-other = вложение
card-attachments = { $count ->
    [one] { $count } вложение
    [few] { $count } вложения
   *[many] { $count } вложений
  }: { $list }
card-text-part = Обращение № { $number }, текст (часть { $part } из { $of }):
card-text-above = Текст сообщения — выше, { $parts ->
    [one] { $parts } сообщение
    [few] { $parts } сообщения
   *[many] { $parts } сообщений
  }.

card-source-vk_comment = комментарий
card-source-vk_post = запись на стене
card-source-vk_message = личное сообщение
card-source-vk_board = обсуждение
card-source-vk_photo_comment = комментарий к фото
card-source-vk_video_comment = комментарий к видео
card-source-vk_market_comment = комментарий к товару
card-source-external_page = упоминание на внешней странице
card-source-telegram = комментарий в Telegram
card-source-manual = зарегистрировано вручную

network-vk = ВКонтакте
network-ok = Одноклассники
network-telegram = Telegram
network-facebook = Facebook
network-instagram = Instagram
network-web = сайт
network-other = другая сеть

case-status-new = новое, ждёт распределения
case-status-rejected = отклонено
case-status-not_competent = не относится к компетенции
case-status-assigned = направлено исполнителю
case-status-returned = возвращено исполнителем
case-status-in_work = в работе
case-status-drafting = готовится проект ответа
case-status-dept_review = на согласовании у руководителя
case-status-on_approval = на согласовании
case-status-rework = на доработке
case-status-approved = согласовано, ждёт публикации
case-status-published = ответ опубликован
case-status-awaiting_final = ждёт окончательного ответа
case-status-awaiting_author = ждёт ответа автора
case-status-closed = закрыто

# Короткие уведомления тому, кто должен действовать (карточка уже в чате и обновлена).
notify-new_case = 📨 Новое обращение № { $number }.
notify-assigned = 📌 Вам направлено обращение № { $number }.
notify-designate_executor = 📌 Обращение № { $number } направлено в ваше подразделение: назначьте исполнителя.
notify-returned = ↩️ Обращение № { $number } возвращено исполнителем: назначьте другого.
notify-reassigned = 📌 Обращение № { $number } переназначено.
notify-part_contributed = 🧩 По обращению № { $number } поступила информация соисполнителя.
notify-draft_for_department_review = 📝 Проект ответа по обращению № { $number } ждёт вашего согласования.
notify-draft_for_approval = 📝 Проект ответа по обращению № { $number } ждёт согласования.
notify-draft_returned = ✏️ Проект ответа по обращению № { $number } возвращён на доработку.
notify-draft_approved = ✅ Проект ответа по обращению № { $number } согласован.
notify-to_publish = 📢 Обращение № { $number }: опубликуйте согласованный ответ.
notify-published = ✅ Ответ по обращению № { $number } опубликован.
notify-author_replied = 💬 Автор ответил по обращению № { $number }.
notify-extended = ⏳ Срок по обращению № { $number } продлён.
notify-rejected = Обращение № { $number } отклонено.
notify-closed = Обращение № { $number } закрыто.

# Просмотры
views-queue-title = Ждёт вас: { $count ->
    [one] { $count } обращение
    [few] { $count } обращения
   *[many] { $count } обращений
  }
views-queue-empty = Сейчас ничего не ждёт ваших действий.
views-overdue-title = Просрочено: { $count ->
    [one] { $count } срок
    [few] { $count } срока
   *[many] { $count } сроков
  }
views-overdue-empty = Просроченных сроков нет.
views-case-usage = Укажите номер обращения: /case 42
views-case-not-found = Обращение № { $number } не найдено или недоступно вам.
views-find-usage = Укажите, что искать: /find Ленина 5 (или номер обращения).
views-find-nothing = Ничего не найдено по запросу «{ $query }».
views-find-title = Найдено: { $count ->
    [one] { $count } обращение
    [few] { $count } обращения
   *[many] { $count } обращений
  }
views-due = до { $due }
views-due-overdue = ⏰ просрочено ({ $due })
views-more = …и ещё { $count }.

# Регистрация вручную
manual-author-unknown = автор не указан
manual-registered = ✅ Зарегистрировано обращение № { $number } ({ $network }). Карточка пришла администраторам.
manual-duplicate = Это сообщение уже зарегистрировано (обращение № { $number }).

# Кто поручил и что поручено
card-assigned-by = Поручение: { $name }, { $role } · { $at }
card-designated-by = Назначение исполнителя: { $name } · { $at }
card-asked = Что поручено: { $text }
card-asked-topic = Что поручено: ответить автору · тема «{ $topic }», локация: { $location }

# Постраничные списки
paging-page = Страница { $page } из { $pages }
paging-prev = ◀ Назад
paging-next = Дальше ▶
views-list-gone = Список устарел: запросите его заново.
manual-confirm = Зарегистрировать как обращение? Срок начнёт течь сразу после подтверждения.
    Сеть: { $network }
    Автор: { $author }
    Ссылка: { $link }
    Текст: { $text }
manual-confirm-yes = ✅ Да, зарегистрировать
manual-confirm-no = Нет
manual-not-registered = Не зарегистрировано: сообщение не стало обращением.
manual-confirm-gone = Этот вопрос уже решён.
notify-control_date_needed = 📅 По обращению № { $number } промежуточный ответ обещал окончательный при условии — установите контрольный срок.
notify-deadline_moved = 🗓 Сроки по обращению № { $number } пересчитаны по календарю — новое время в карточке.
card-joined-into = 🔗 Присоединено к обращению № { $number }: ответ по нему получит и этот автор
card-joined = 🔗 Присоединены: { $cases } — ответ будет опубликован и под { $count ->
    [one] этим сообщением
    [few] этими сообщениями
    [many] этими сообщениями
   *[other] этими сообщениями
  }

# An earlier copy of a card after a fresh one was sent below: no case text left in it.
card-moved = Карточка обращения № { $number } — ниже, в новом сообщении.
card-source-max = сообщение в MAX
network-max = MAX
card-source-max_comment = комментарий в канале MAX
