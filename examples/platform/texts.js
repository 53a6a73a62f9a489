// The campaign page's words in each locale the platform serves. A campaign's own words
// (title, description, offers) come from markets.json, per locale under `locales`.

/** Locales served; any other asks for the market's locale, then English. */
export const TEXTS = {
  en: {
    referredBy: 'You were referred by',
    giftTitle: 'A gift from your friend',
    useCode: 'Use this code at checkout:',
    followLink: "Follow your friend's share link to receive your code.",
    getLinkTitle: 'Get your share link',
    fullName: 'Full name',
    email: 'Email',
    marketingOptIn: 'Send me offers by email',
    getLink: 'Get my link',
    hi: 'Hi',
    shareWithFriends: 'Share your link with friends:',
    shareLinkLabel: 'Your share link',
    copy: 'Copy',
    copied: 'Copied.',
    stepShare: 'Share your link with a friend.',
    stepFriendGets: 'Your friend gets {offer}.',
    stepReward: 'You get a reward when they buy.',
    yourReferrals: 'Your referrals',
    referredSoFar: 'Friends referred so far:',
    rewardFollows: 'Each friend who buys appears on your dashboard, and your reward follows by email.',
    signingIn: 'Signing you in…',
    autoFailed: 'We could not sign you in automatically. Please sign up below.',
    autoFailedSignature: 'We could not sign you in automatically (invalid signature). Please sign up below.',
    signupFailed: 'Sign-up failed.',
    unreachable: 'The platform could not be reached. Try again.',
  },
  fr: {
    referredBy: 'Vous avez été parrainé par',
    giftTitle: 'Un cadeau de votre ami',
    useCode: 'Utilisez ce code au moment de payer :',
    followLink: 'Suivez le lien de partage de votre ami pour recevoir votre code.',
    getLinkTitle: 'Obtenez votre lien de partage',
    fullName: 'Nom complet',
    email: 'E-mail',
    marketingOptIn: 'Envoyez-moi des offres par e-mail',
    getLink: 'Obtenir mon lien',
    hi: 'Bonjour',
    shareWithFriends: 'Partagez votre lien avec vos amis :',
    shareLinkLabel: 'Votre lien de partage',
    copy: 'Copier',
    copied: 'Copié.',
    stepShare: 'Partagez votre lien avec un ami.',
    stepFriendGets: 'Votre ami reçoit {offer}.',
    stepReward: 'Vous recevez une récompense quand il achète.',
    yourReferrals: 'Vos parrainages',
    referredSoFar: "Amis parrainés jusqu'ici :",
    rewardFollows: 'Chaque ami qui achète apparaît dans votre tableau de bord, et votre récompense suit par e-mail.',
    signingIn: 'Connexion en cours…',
    autoFailed: "Nous n'avons pas pu vous connecter automatiquement. Inscrivez-vous ci-dessous.",
    autoFailedSignature: "Nous n'avons pas pu vous connecter automatiquement (signature invalide). Inscrivez-vous ci-dessous.",
    signupFailed: "L'inscription a échoué.",
    unreachable: 'La plateforme est injoignable. Réessayez.',
  },
  de: {
    referredBy: 'Sie wurden empfohlen von',
    giftTitle: 'Ein Geschenk von Ihrem Freund',
    useCode: 'Verwenden Sie diesen Code an der Kasse:',
    followLink: 'Folgen Sie dem Link Ihres Freundes, um Ihren Code zu erhalten.',
    getLinkTitle: 'Holen Sie sich Ihren Link',
    fullName: 'Vollständiger Name',
    email: 'E-Mail',
    marketingOptIn: 'Schicken Sie mir Angebote per E-Mail',
    getLink: 'Meinen Link holen',
    hi: 'Hallo',
    shareWithFriends: 'Teilen Sie Ihren Link mit Freunden:',
    shareLinkLabel: 'Ihr Link zum Teilen',
    copy: 'Kopieren',
    copied: 'Kopiert.',
    stepShare: 'Teilen Sie Ihren Link mit einem Freund.',
    stepFriendGets: 'Ihr Freund erhält {offer}.',
    stepReward: 'Sie erhalten eine Prämie, wenn er kauft.',
    yourReferrals: 'Ihre Empfehlungen',
    referredSoFar: 'Bisher empfohlene Freunde:',
    rewardFollows: 'Jeder Freund, der kauft, erscheint in Ihrer Übersicht, und Ihre Prämie folgt per E-Mail.',
    signingIn: 'Sie werden angemeldet…',
    autoFailed: 'Wir konnten Sie nicht automatisch anmelden. Bitte registrieren Sie sich unten.',
    autoFailedSignature: 'Wir konnten Sie nicht automatisch anmelden (ungültige Signatur). Bitte registrieren Sie sich unten.',
    signupFailed: 'Die Registrierung ist fehlgeschlagen.',
    unreachable: 'Die Plattform ist nicht erreichbar. Bitte versuchen Sie es erneut.',
  },
};

/** @type {(keyof typeof TEXTS.en)[]} The strings the page's script shows, passed as data-text-* attributes. */
export const SCRIPT_TEXTS = ['signingIn', 'autoFailed', 'autoFailedSignature', 'signupFailed', 'unreachable'];

/**
 * The served locale for a requested one: 'fr-CA' → 'fr'; unknown → the fallback (the market's
 * locale), then 'en'.
 */
export function pickLocale(/** @type {string} */ requested, /** @type {string | undefined} */ fallback) {
  for (const candidate of [requested, fallback]) {
    const language = typeof candidate === 'string' ? candidate.toLowerCase().split(/[-_]/)[0] : '';
    if (Object.hasOwn(TEXTS, language)) return language;
  }
  return 'en';
}

/** A campaign's words in a locale: its `locales[locale]` entries over the default ones. */
export function campaignWords(/** @type {import('./platform').CampaignConfig} */ campaign, /** @type {string} */ locale) {
  const translated = campaign.locales && Object.hasOwn(campaign.locales, locale) ? campaign.locales[locale] : {};
  const words = { ...campaign, ...translated };
  return { title: words.title, description: words.description, friendOffer: words.friendOffer, friendGets: words.friendGets || words.friendOffer };
}
