/** Dutch interface texts (B1). English follows with the web app issue. */
export const nl = {
  loading: 'Kaart laden…',
  places: (n: number) =>
    n === 1 ? '1 plek op de kaart' : `${n.toLocaleString('nl-NL')} plekken op de kaart`,
  offline:
    'De kaart kon de gegevens niet laden. Controleer de verbinding en laad de pagina opnieuw.',
  meetingPlace: 'Ontmoetingsplek',
  other: 'Bankje, school of andere plek',
}
