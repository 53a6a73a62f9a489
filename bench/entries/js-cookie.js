// js-cookie: set one cookie and read it back (research B1, row 7).
import Cookies from 'js-cookie';
globalThis.benchCall = () => {
  Cookies.set('cid', 'abc123', { expires: 365, sameSite: 'Lax', secure: true });
  return Cookies.get('cid');
};
