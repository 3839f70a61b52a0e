# Разбор обращения администратором (куратором) — кнопки карточки.
btn-importance = ⚡ Важность
btn-topic = 🏷 Тема
btn-location = 📍 Локация
btn-departments = 🏢 Направить в подразделения
btn-reassign = 🏢 Назначить другого исполнителя
btn-reject = ✖ Отклонить
btn-not-competent = ↪ Не наша компетенция
btn-repeat = 🔁 Повторное
btn-ban = ⛔ Заблокировать автора
btn-urgent = 🚨 Срочно — главе
btn-back = ← Назад
btn-type-it = ✍ Ввести вручную
btn-make-responsible = ★ ответственный
btn-assign = ✅ Направить ({ $count ->
    [one] { $count } подразделение
    [few] { $count } подразделения
   *[many] { $count } подразделений
  })
btn-no-body = Без указания органа
btn-confirm-send = ✅ Подтвердить и отправить автору
btn-search = 🔎 Найти по номеру или тексту
admin-bad-choice = Эта кнопка больше не действует. Откройте карточку заново: /case и номер.
admin-done-importance = Важность: { $value }
admin-done-saved = Сохранено.
admin-type-topic = Напишите тему обращения № { $number } одним сообщением (или /cancel).
admin-type-location = Напишите локацию обращения № { $number } одним сообщением (или /cancel).
admin-done-assigned = Направлено: { $departments }
admin-done-rejected = Обращение отклонено.
admin-no-bodies = В настройках организации не указаны внешние органы: попросите того, кто настраивает сервис, добавить их.
admin-not-competent-preview = ⚠ Обращение № { $number } не относится к компетенции администрации. Ответственный орган: <b>{ $body }</b>.
    Автор получит такой ответ:
    <blockquote>{ $text }</blockquote>
admin-not-competent-confirm = ⚠ Обращение № { $number } не относится к компетенции администрации. Ответственный орган: <b>{ $body }</b>. Подтвердите.
admin-done-not-competent = Отмечено: не относится к компетенции.
admin-type-repeat-search = Напишите номер прежнего обращения или слова из его текста (для обращения № { $number }), или /cancel.
admin-done-repeat = Отмечено как повторное к № { $number }.
admin-search-nothing = По запросу «{ $query }» ничего не найдено. Попробуйте другие слова или /cancel.
admin-search-results = Найдено: { $count }. Выберите прежнее обращение:
ban-days = { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
  }
ban-forever = бессрочно
admin-done-banned = Автор заблокирован.
admin-done-urgent = Отправлено главе как срочное.

# Поручение к назначению (что поручено исполнителю, видно на карточке)
btn-note = 📝 Что поручить
admin-type-note = Напишите одним сообщением, что поручается по обращению № { $number } (увидит исполнитель на карточке). Затем нажмите «Направить» (или /cancel).
admin-note-saved = Поручение сохранено. Теперь выберите подразделения и нажмите «Направить».

# Сводка при потоке обращений: одно сообщение вместо карточки на каждое (правится на месте)
storm-summary = 🌊 <b>Новых обращений: { $count } за { $minutes } мин</b> — приходят быстрее, чем чат может показать карточки.
storm-summary-calm = 🌊 <b>Поток схлынул: { $count } обращений за { $minutes } мин</b> ждут открытия; новые снова приходят карточками.
storm-top = Чаще всего: { $groups }
storm-hint = Откройте список или группы похожих; карточка обращения — по ссылке /case_N.
storm-list-btn = 📋 Список ({ $count })
storm-groups-btn = 🧩 Группы похожих
storm-list-title = <b>Новые обращения без карточки в этом чате: { $count }</b>
storm-groups-title = <b>Группы похожих среди { $count } новых обращений</b>
storm-group-other = Прочее
storm-not-yours = Этот список — для администратора.
