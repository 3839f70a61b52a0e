/**
 * The sandbox's training set: citizens' comments and messages written for the project (not taken from
 * any real community), one for each situation a regulation step handles. A trainer plays them one by
 * one or as a burst; the citizens exist only in the VK emulator.
 */
export interface TrainingItem {
  id: string;
  /** What the item trains, shown on the trainer's button (Russian; the English title beside it). */
  title: { ru: string; en: string };
  author: { first_name: string; last_name: string };
  /** 'comment' under the wall post `post` (index into the preset's posts), or a private 'message'. */
  kind: 'comment' | 'message';
  post?: number;
  text: string;
}

export const TRAINING: TrainingItem[] = [
  {
    id: 'pothole',
    title: { ru: 'Яма на дороге', en: 'A pothole' },
    author: { first_name: 'Ольга', last_name: 'Смирнова' },
    kind: 'comment',
    post: 0,
    text: 'На улице Ленина возле дома 12 огромная яма, вчера там пробил колесо. Когда заделаете? Машины объезжают по встречке.',
  },
  {
    id: 'rubbish',
    title: { ru: 'Не вывозят мусор', en: 'Rubbish not collected' },
    author: { first_name: 'Игорь', last_name: 'Васильев' },
    kind: 'comment',
    post: 1,
    text: 'Контейнерную площадку во дворе домов 5 и 7 по улице Мира не вывозят уже неделю, мусор лежит на земле, бегают собаки.',
  },
  {
    id: 'heating',
    title: { ru: 'Холодные батареи', en: 'No heating' },
    author: { first_name: 'Наталья', last_name: 'Кузнецова' },
    kind: 'message',
    text: 'Здравствуйте! В доме 3 по улице Садовой третий день еле тёплые батареи, в квартире +16, у меня маленький ребёнок. Управляющая компания трубку не берёт.',
  },
  {
    id: 'threat',
    title: { ru: 'Угроза', en: 'A threat' },
    author: { first_name: 'Аноним', last_name: 'Аноним' },
    kind: 'comment',
    post: 0,
    text: 'Если до пятницы не уберёте гаражи с нашего двора, я их сам подожгу вместе с вашей администрацией.',
  },
  {
    id: 'spam',
    title: { ru: 'Спам', en: 'Spam' },
    author: { first_name: 'Заработок', last_name: 'Онлайн' },
    kind: 'comment',
    post: 1,
    text: 'Зарабатывай от 5000 рублей в день не выходя из дома! Пиши в личку, ссылка в профиле 💰💰💰',
  },
  {
    id: 'repeat',
    title: { ru: 'Повторное обращение', en: 'A repeat' },
    author: { first_name: 'Ольга', last_name: 'Смирнова' },
    kind: 'comment',
    post: 0,
    text: 'Я уже писала про яму на Ленина, 12 — ничего не сделано, сегодня там застрял автобус. Сколько можно ждать?',
  },
  {
    id: 'accident',
    title: { ru: 'Происшествие', en: 'An accident' },
    author: { first_name: 'Руслан', last_name: 'Ахмедов' },
    kind: 'comment',
    post: 1,
    text: 'Срочно! На перекрёстке у школы № 2 прорвало трубу, вода хлещет на дорогу, асфальт проваливается, дети идут на уроки.',
  },
  {
    id: 'other-body',
    title: { ru: 'Не наша компетенция', en: "Another body's matter" },
    author: { first_name: 'Татьяна', last_name: 'Морозова' },
    kind: 'comment',
    post: 0,
    text: 'Почему электрички до райцентра отменили с понедельника? Людям не на чем ездить на работу.',
  },
  {
    id: 'lamp',
    title: { ru: 'Не горит фонарь', en: 'A street lamp is out' },
    author: { first_name: 'Сергей', last_name: 'Павлов' },
    kind: 'comment',
    post: 1,
    text: 'Второй месяц не горит фонарь на остановке «Больница», вечером там совсем темно, страшно ходить.',
  },
  {
    id: 'thanks',
    title: { ru: 'Благодарность', en: 'Thanks' },
    author: { first_name: 'Мария', last_name: 'Ильина' },
    kind: 'comment',
    post: 2,
    text: 'Спасибо за новую детскую площадку во дворе! Дети в восторге.',
  },
];

/** The wall posts every preset starts with (the community's own news). */
export const WALL_POSTS = [
  'Начался ремонт дорог: в этом году отремонтируем 12 участков. Пишите в комментариях, где дорога в самом плохом состоянии.',
  'График вывоза твёрдых коммунальных отходов на декабрь. Если мусор не вывезли вовремя — сообщите в комментариях.',
  'Во дворах по улице Мира открыты новые детские площадки.',
];
